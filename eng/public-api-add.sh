#!/usr/bin/env bash
# Adds to each src project's PublicAPI.Unshipped.txt the public members the build reports as undeclared (RS0016).
# Run it after a deliberate change to the public surface, then review the diff of the PublicAPI files.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/*/; do
  name=$(basename "$project")
  file="${project%/}/PublicAPI.Unshipped.txt"
  [ -f "$file" ] || continue
  # Only this project's own errors: a build also reports those of the projects it references.
  missing=$(dotnet build "${project%/}/$name.csproj" -nologo 2>&1 | grep -F "[$PWD/${project%/}/$name.csproj]" | grep -oE "RS0016: Symbol '[^']+'" | sed -E "s/RS0016: Symbol '(.*)'/\1/" | sort -u || true)
  [ -n "$missing" ] || continue
  { head -n 1 "$file"; { tail -n +2 "$file"; printf '%s\n' "$missing"; } | LC_ALL=C sort -u; } > "$file.new"
  mv "$file.new" "$file"
  echo "$file: added $(printf '%s\n' "$missing" | grep -c .) members"
done
