// libtorch's default random generator is one per process: a test's manual_seed only makes its numbers reproducible
// when no other test draws from the generator at the same time, so the tests of this project run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
