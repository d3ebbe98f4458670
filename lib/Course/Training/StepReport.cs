namespace Course;

/// <summary>What a training step reports: epoch (from 1), step within the epoch (from 1), steps since the trainer
/// was made, the batch's loss and the learning rate used for the step.</summary>
public sealed record StepReport(int Epoch, int Step, long GlobalStep, double Loss, double LearningRate);

/// <summary>What an epoch reports: mean training loss, the validation loss and accuracy when measured, and its duration.</summary>
public sealed record EpochReport(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy, double Seconds);

/// <summary>A model's mean loss over a data set, its accuracy when it is a classifier, and the number of examples.</summary>
public sealed record Evaluation(double Loss, double? Accuracy, long Examples);
