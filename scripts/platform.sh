# Sourced by the project's commands: sets $platform to this machine's -Djavacpp.platform value, so
# Maven fetches ND4J's native libraries for this OS only (about 0.6 GB instead of 1.3 GB for all).
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x86_64 ;;
  Linux-aarch64|Linux-arm64) platform=linux-arm64 ;;
  Darwin-x86_64) platform=macosx-x86_64 ;;
  Darwin-arm64) platform=macosx-arm64 ;;
  MINGW*|MSYS*|CYGWIN*) platform=windows-x86_64 ;;
  *) echo "error: unknown platform $(uname -s)-$(uname -m); run mvn with -Djavacpp.platform=<yours> (see README)" >&2; exit 1 ;;
esac
