namespace Course;

/// <summary>How a hyperparameter search picks the next configuration to try, given every trial so far (null: nothing left to try).</summary>
public interface ISearchStrategy
{
    Configuration? Next(IReadOnlyList<Trial> history);
}
