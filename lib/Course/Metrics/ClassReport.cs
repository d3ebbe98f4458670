namespace Course;

/// <summary>
/// How well one class is recognised (a row of a classification report). Precision: of the examples predicted as
/// this class, the fraction that are; recall: of the examples of this class, the fraction found; F1: their harmonic
/// mean; support: examples of this class. A ratio with nothing to divide by is 0 (as scikit-learn reports it).
/// </summary>
public sealed record ClassReport(string Class, double Precision, double Recall, double F1, long Support);
