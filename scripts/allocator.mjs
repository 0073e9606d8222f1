// glibc malloc settings for a Tillid server process with the vision engine (docs/operations.md "Memory").
// They are read once when a process starts, so they go into the environment of the process to be started.
export const ALLOCATOR = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_TRIM_THRESHOLD_: '131072',
  MALLOC_MMAP_THRESHOLD_: '1048576',
};
