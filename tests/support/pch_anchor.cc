// The one source file of silt_test_pch, the target whose precompiled header every test reuses
// (cmake/SiltTargets.cmake). It has nothing to compile beyond the header itself.
