#!/usr/bin/env bash
# Packs Imb, Imb.Events, Imb.Testing and Imb.OpenTelemetry into a temporary feed, checks that each package lists its dependencies,
# then builds and runs a fresh app that references only those packages (eng/package-check/), in InMemory and
# Embedded mode. A missing or wrong package dependency fails here, as it would for a user.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(Imb Imb.Events Imb.Testing Imb.OpenTelemetry)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(dotnet msbuild src/Imb/Imb.csproj -getProperty:Version)

for p in "${packages[@]}"; do
  dotnet pack "src/$p/$p.csproj" -c Release -o "$work/feed" -nologo -v quiet
done

# Every package and project reference a project ships with (not PrivateAssets) must be a dependency in its nuspec.
for p in "${packages[@]}"; do
  nuspec=$(unzip -p "$work/feed/$p.$version.nupkg" "$p.nuspec")
  expected=$(grep -E '<(PackageReference|ProjectReference) ' "src/$p/$p.csproj" | grep -v 'PrivateAssets="all"' |
    sed -E 's#.*Include="([^"]+)".*#\1#; s#.*/([^/]+)\.csproj$#\1#')
  for dependency in $expected; do
    line=$(printf '%s\n' "$nuspec" | grep -E "<dependency id=\"$dependency\" version=\"[^\"]+\"" || true)
    if [ -z "$line" ]; then
      echo "package check: $p.$version.nupkg does not list its dependency $dependency" >&2
      exit 1
    fi
  done
  listed=$(printf '%s\n' "$nuspec" | grep -Eo '<dependency id="[^"]+" version="[^"]+"' | sed -E 's#<dependency id="([^"]+)" version="([^"]+)"#\1 \2#' | paste -sd, - | sed 's/,/, /g')
  echo "package check: $p $version depends on $listed"
done

# The app lives outside the repository, so none of its build files apply, and restores into its own package
# folder, so an older package of the same version in the machine's cache cannot stand in for the one just packed.
mkdir -p "$work/app"
cp eng/package-check/PackageCheck.csproj eng/package-check/Program.cs "$work/app/"
cat > "$work/app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="imb-packed" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG
cat > "$work/app/Directory.Build.props" <<PROPS
<Project>
  <PropertyGroup>
    <ImbVersion>$version</ImbVersion>
    <RestorePackagesPath>$work/packages</RestorePackagesPath>
  </PropertyGroup>
</Project>
PROPS
dotnet build "$work/app/PackageCheck.csproj" -c Release -nologo -v quiet -o "$work/app/bin"
dotnet list "$work/app/PackageCheck.csproj" package --include-transitive |
  grep -E '^ +> (Imb|NATS|OpenTelemetry)' | awk '{print "package check: consumed " $2 " " $NF}'

dotnet "$work/app/bin/PackageCheck.dll" InMemory
dotnet "$work/app/bin/PackageCheck.dll" Embedded "$work/store"
echo "package check: passed"
