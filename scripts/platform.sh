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
