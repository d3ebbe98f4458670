namespace Course;

/// <summary>A predicted object: its box, class and confidence score.</summary>
public readonly record struct Detection(Box Box, int Label, double Score);

/// <summary>A ground-truth object: its exact box and class.</summary>
public readonly record struct LabeledBox(Box Box, int Label);
