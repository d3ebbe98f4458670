// One test at a time: the timing tests (queue timeouts, batching waits) measure wall-clock time, which other tests
// running at the same time would stretch.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
