# Sourced by the run-*.sh scripts: sets JAVA to a java of version 21 or newer ($JAVA_HOME first,
# then /usr/lib/jvm), or exits saying there is none.
JAVA=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
  if [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    JAVA="$candidate/bin/java"
    break
  fi
done
[ -n "$JAVA" ] || { echo "$(basename "$0"): no JDK >= 21 found under /usr/lib/jvm or JAVA_HOME" >&2; exit 1; }
