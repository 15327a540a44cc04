# Sourced by the project's commands: sets $platform to this machine's -Djavacpp.platform value, so
# Maven fetches ND4J's native libraries for this OS only (about 0.6 GB instead of 1.3 GB for all),
# and ND4J's thread setting.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x86_64 ;;
  Linux-aarch64|Linux-arm64) platform=linux-arm64 ;;
  Darwin-x86_64) platform=macosx-x86_64 ;;
  Darwin-arm64) platform=macosx-arm64 ;;
  MINGW*|MSYS*|CYGWIN*) platform=windows-x86_64 ;;
  *) echo "error: unknown platform $(uname -s)-$(uname -m); run mvn with -Djavacpp.platform=<yours> (see README)" >&2; exit 1 ;;
esac

# libnd4j's OpenMP threads spin after each op by default and starve its BLAS threads on few cores:
# on 2 cores PASSIVE made a 784-1000 training step 1.7x faster and a small MLP step 2x (README,
# Performance). Read once when the native library loads, so it must be in the environment first.
# A value already set wins; CAE4J_OMP_DEFAULTS=1 leaves it unset (ND4J's own behaviour, for A/B runs).
if [[ -z "${OMP_WAIT_POLICY:-}" && "${CAE4J_OMP_DEFAULTS:-0}" != 1 ]]; then
  export OMP_WAIT_POLICY=PASSIVE
fi

# Matrix products for the long jobs (the example, Table 1): Intel MKL instead of ND4J's bundled
# OpenBLAS on Linux x86-64 (pom profile -Pmkl, a 210 MB download once). Measured: on an Intel Xeon
# training steps 2.4x faster, the default example about 3.5-4 minutes instead of 8 with the same table;
# on an AMD EPYC steps as fast or up to 1.2x faster with a third less CPU time (docs/performance.md,
# "Thread and BLAS settings"). CAE4J_BLAS=openblas keeps OpenBLAS. The library itself, the tests and
# the benchmark default to OpenBLAS.
blas_flags=()
case "${CAE4J_BLAS:-auto}" in
  auto) if [[ $platform == linux-x86_64 ]]; then blas_flags=(-Pmkl); fi ;;
  mkl)
    if [[ $platform != linux-x86_64 ]]; then
      echo "error: CAE4J_BLAS=mkl needs Linux x86-64 (pom.xml's mkl profile carries Linux's library), this is $platform" >&2; exit 2
    fi
    blas_flags=(-Pmkl) ;;
  openblas) ;;
  *) echo "error: CAE4J_BLAS must be auto, mkl or openblas, got '$CAE4J_BLAS'" >&2; exit 2 ;;
esac

# For the commands that pass "${blas_flags[@]}" to Maven: says on stderr when the run uses MKL.
announce_blas() {
  if [[ ${#blas_flags[@]} -gt 0 ]]; then
    echo "cae4j: matrix products through Intel MKL (-Pmkl, see scripts/platform.sh; CAE4J_BLAS=openblas for ND4J's OpenBLAS)" >&2
  fi
}

# The examples and the benchmark are Maven projects of their own that use the library as a user's
# project does, through the installed artifact: install it (without running its tests) first.
install_library() {
  mvn -q -B -Djavacpp.platform="$platform" -DskipTests install >&2
}
