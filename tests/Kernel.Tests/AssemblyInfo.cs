// Kernel processes, chapters and timing-sensitive interrupts: one test at a time (CI has two cores).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
