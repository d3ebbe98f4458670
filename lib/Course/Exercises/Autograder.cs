using System.Globalization;
using System.Reflection;

namespace Course.Exercises;

/// <summary>
/// The checks of a chapter's exercise cells. An autograder cell wraps its checks in <see cref="Check"/>, which turns
/// what went wrong into a message for the student: the solution still throws the stub's NotImplementedException
/// (<see cref="ExerciseNotDoneException"/>), or it gives a wrong answer (<see cref="ExerciseFailedException"/>).
/// <code>
/// Autograder.Check("2.1", () =>
/// {
///     Autograder.ExpectClose(OutputSize(28, 5, 1, 0), 24, 0, "OutputSize(28, kernel 5, stride 1, padding 0)");
/// });
/// </code>
/// </summary>
public static class Autograder
{
    /// <summary>Runs <paramref name="checks"/> for exercise <paramref name="exercise"/>; prints a line when they pass.</summary>
    public static void Check(string exercise, Action checks)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exercise);
        ArgumentNullException.ThrowIfNull(checks);
        try { checks(); }
        catch (Exception e) when (Unwrap(e) is NotImplementedException stub)
        {
            throw new ExerciseNotDoneException(
                $"Exercise {exercise} is not done yet ({stub.Message}). Write your solution in the cell marked " +
                $"'// Exercise {exercise}', run that cell, then run this one again.", stub);
        }
        catch (Exception e) when (Unwrap(e) is WrongAnswer wrong)
        {
            throw new ExerciseFailedException($"Exercise {exercise} is not right yet: {wrong.Message}");
        }
        catch (Exception e) when (e is not ExerciseNotDoneException and not ExerciseFailedException and not OperationCanceledException)
        {
            var inner = Unwrap(e);
            throw new ExerciseFailedException($"Exercise {exercise} is not right yet: your code threw {inner.GetType().Name}: {inner.Message}", inner);
        }
        Console.WriteLine($"Exercise {exercise}: all checks passed.");
    }

    /// <summary>A check: fails with <paramref name="hint"/> (what was expected, and a pointer) when not <paramref name="ok"/>.</summary>
    public static void Expect(bool ok, string hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hint);
        if (!ok) throw new WrongAnswer(hint);
    }

    /// <summary><paramref name="actual"/> within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static void ExpectClose(double actual, double expected, double tolerance, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "a tolerance is a number >= 0.");
        if (!(Math.Abs(actual - expected) <= tolerance)) // NaN fails too
            throw new WrongAnswer($"{what}: expected {Format(expected)}{(tolerance > 0 ? " ± " + Format(tolerance) : "")}, got {Format(actual)}.");
    }

    /// <summary>Same shape as <paramref name="expected"/>, every element within <paramref name="tolerance"/> of it.</summary>
    public static void ExpectClose(Tensor actual, Tensor expected, double tolerance, string what)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "a tolerance is a number >= 0.");
        if (!actual.shape.SequenceEqual(expected.shape))
            throw new WrongAnswer($"{what}: expected shape [{string.Join(", ", expected.shape)}], got [{string.Join(", ", actual.shape)}].");
        using var scope = torch.NewDisposeScope();
        var a = actual.detach().cpu().to(torch.float64);
        var b = expected.detach().cpu().to(torch.float64);
        double gap = a.numel() == 0 ? 0 : (a - b).abs().max().ToDouble();
        if (!(gap <= tolerance))
            throw new WrongAnswer($"{what}: the largest difference from the expected values is {Format(gap)} (allowed: {Format(tolerance)}).");
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException or AggregateException && e.InnerException is { } inner) e = inner;
        return e;
    }

    /// <summary>A failed <see cref="Expect"/>: <see cref="Check"/> turns it into an <see cref="ExerciseFailedException"/>.</summary>
    private sealed class WrongAnswer(string message) : Exception(message);
}

/// <summary>An exercise's solution is still the student stub (it throws NotImplementedException).</summary>
public sealed class ExerciseNotDoneException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An exercise's solution runs but its answer is wrong; the message says what was expected.</summary>
public sealed class ExerciseFailedException(string message, Exception? inner = null) : Exception(message, inner);
