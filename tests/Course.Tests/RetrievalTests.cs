using Course;

namespace Course.Tests;

/// <summary>Recall@k on hand-worked rankings.</summary>
public sealed class RetrievalTests
{
    // 3 queries × 4 gallery items
    private static readonly double[,] Similarity =
    {
        { 0.9, 0.1, 0.5, 0.3 },   // ranking 0, 2, 3, 1
        { 0.2, 0.4, 0.8, 0.6 },   // ranking 2, 3, 1, 0
        { 0.7, 0.7, 0.1, 0.0 },   // a tie: 0 before 1, then 2, 3
    };

    [Fact]
    public void RecallCountsQueriesWithARelevantItemInTheTopK()
    {
        using var scope = NewDisposeScope();
        var sim = tensor(Similarity);
        long[] targets = [0, 1, 1];       // ranks 1, 3, 2
        Assert.Equal(1 / 3.0, Retrieval.RecallAtK(sim, targets, 1), 12);
        Assert.Equal(2 / 3.0, Retrieval.RecallAtK(sim, targets, 2), 12);
        Assert.Equal(1.0, Retrieval.RecallAtK(sim, targets, 3), 12);
        // several relevant items: query 0 {1, 3} (ranks 4, 3), query 1 {0, 3} (ranks 4, 2), query 2 {} (never a hit)
        var relevant = tensor(new bool[,] { { false, true, false, true }, { true, false, false, true }, { false, false, false, false } });
        Assert.Equal(0.0, Retrieval.RecallAtK(sim, relevant, 1), 12);
        Assert.Equal(1 / 3.0, Retrieval.RecallAtK(sim, relevant, 2), 12);
        Assert.Equal(2 / 3.0, Retrieval.RecallAtK(sim, relevant, 3), 12);
        Assert.Equal(2 / 3.0, Retrieval.RecallAtK(sim, relevant, 4), 12);
    }

    [Fact]
    public void BadArgumentsNameTheProblem()
    {
        using var scope = NewDisposeScope();
        var sim = tensor(Similarity);
        Assert.Throws<ArgumentOutOfRangeException>(() => Retrieval.RecallAtK(sim, new long[] { 0, 1, 2 }, 5));
        Assert.Throws<ArgumentException>(() => Retrieval.RecallAtK(sim, new long[] { 0, 1 }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Retrieval.RecallAtK(sim, new long[] { 0, 1, 4 }, 1));
        Assert.Throws<ArgumentException>(() => Retrieval.RecallAtK(sim, zeros(new long[] { 3, 3 }, @bool), 1));
    }
}
