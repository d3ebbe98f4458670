namespace Course;

/// <summary>
/// One way of dividing a data set for evaluation: the indexes a model trains on and the indexes it is tested on. The
/// splitters of <c>lib/Course/Evaluation</c> (<see cref="HoldOut"/>, <see cref="KFold"/>, <see cref="StratifiedKFold"/>,
/// <see cref="Bootstrap"/>) return them; a bootstrap sample's training indexes may repeat.
/// </summary>
public sealed record TrainTestSplit(long[] Train, long[] Test)
{
    public override string ToString() => $"TrainTestSplit({Train.Length} train, {Test.Length} test)";
}
