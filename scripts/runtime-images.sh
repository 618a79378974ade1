#!/usr/bin/env bash
# Builds the images that dependency builds run in when no image registry can be reached: a minimal
# Debian bookworm (debootstrap) with python3 + pip, one with nodejs + npm, and one with OpenJDK 17 +
# Maven, imported into Docker. An image whose tag already exists is reused. Prints each tag and how
# long it took.
#
#   scripts/runtime-images.sh            # all three images
#   DEBIAN_MIRROR=http://deb.debian.org/debian scripts/runtime-images.sh
set -euo pipefail

mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
python_tag="${PYTHON_BUILD_IMAGE:-agentrun-build/python:bookworm}"
nodejs_tag="${NODEJS_BUILD_IMAGE:-agentrun-build/nodejs:bookworm}"
java_tag="${JAVA_BUILD_IMAGE:-agentrun-build/java:bookworm}"

if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

# build <tag> <packages> [npm version]: debootstrap a rootfs with the packages (and npm from the npm
# registry: Debian's npm package fails to configure under debootstrap) and `docker import` it as <tag>.
build() {
  local tag="$1" packages="$2" npm_version="${3:-}"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "$tag: present, reused"
    return
  fi
  local started=$SECONDS rootfs
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' RETURN
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
    tail -n 20 "$rootfs.log" >&2
    rm -f "$rootfs.log"
    return 1
  }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs.log"
  if [ -n "$npm_version" ]; then
    mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
    (cd "$rootfs" && npm pack --silent "npm@$npm_version" >/dev/null)
    tar -xzf "$rootfs"/npm-*.tgz --strip-components=1 -C "$rootfs/usr/local/lib/node_modules/npm"
    rm "$rootfs"/npm-*.tgz
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  fi
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
  echo "$tag: built in $((SECONDS - started)) s"
}

build "$python_tag" python3,python3-pip,ca-certificates,zstd &
python_build=$!
# npm 10 is the newest that runs on bookworm's Node.js 18.
build "$nodejs_tag" nodejs,ca-certificates,zstd 10.9.2 &
nodejs_build=$!
# Debian's Maven plugins (in /usr/share/maven-repo, which a settings.xml can name as a file repository)
# are what `mvn package` needs for a jar with no registry in reach: resources, compiler, surefire (loaded
# even with -DskipTests), jar, and dependency (copy-dependencies, for a jar's Class-Path).
java_plugins=libmaven-resources-plugin-java,libmaven-compiler-plugin-java,libsurefire-java
java_plugins+=,libmaven-jar-plugin-java,libmaven-dependency-plugin-java
build "$java_tag" openjdk-17-jdk-headless,maven,$java_plugins,ca-certificates &
java_build=$!
wait "$python_build"
wait "$nodejs_build"
wait "$java_build"
