// The tests of this project run one at a time: libtorch's default random generator is one per process (a test's
// manual_seed only makes its numbers reproducible when no other test draws at the same time), some tests count live
// tensors process-wide, and some set environment variables.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
