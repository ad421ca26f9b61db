#!/usr/bin/env bash
# Builds the container images kubeprop's Docker runtime uses, locally: no registry is
# reachable, so every image is Debian's busybox-static in a one-layer rootfs made with
# `docker import`, tagged with the names the specs and generators use (busybox, nginx and
# the like are all this image; the "server" ones simply idle). A container started with no
# command idles until SIGTERM, as the image catalog (impl/runtime/image-catalog.ts) promises.
#
# Idempotent: the image's comment holds a fingerprint (busybox binary + recipe); tags that
# already point at an image with the current fingerprint are left alone. (Not a label: an
# image's labels would show up on every container made from it.)
#
# Usage: scripts/build-images.sh            (env: BUSYBOX=/bin/busybox, DOCKER=docker)
set -euo pipefail

BUSYBOX=${BUSYBOX:-/bin/busybox}
DOCKER=${DOCKER:-docker}
# Bump when the rootfs or the image config below changes.
RECIPE=2
BASE=busybox:latest
TAGS=(
  busybox:latest busybox:stable busybox:1.35 busybox:1.36 busybox:1.37
  kubeprop/busybox:latest kubeprop/busybox:stable kubeprop/idle:latest
  nginx:latest nginx:1.24 nginx:1.25 nginx:1.26 nginx:1.27
  httpd:latest httpd:2.4
  registry.k8s.io/pause:3.9
)
# Idle until SIGTERM/SIGINT and exit 143 then (as a process killed by SIGTERM would). `wait`
# is interrupted by a trapped signal at once, so a stop does not wait out the sleep, even as PID 1.
IDLE_CMD='["sh","-c","trap \"exit 143\" TERM INT; sleep 2147483647 & wait"]'

die() { echo "build-images: $*" >&2; exit 1; }

command -v "$DOCKER" >/dev/null 2>&1 || die "'$DOCKER' not found: apt-get install docker.io, then start dockerd --bridge=none --iptables=false --ip-masq=false"
"$DOCKER" info >/dev/null 2>&1 || die "the Docker Engine is not reachable ('$DOCKER info' failed): start dockerd --bridge=none --iptables=false --ip-masq=false"
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found: apt-get install busybox-static"

fingerprint=$( { sha256sum "$BUSYBOX" | cut -d' ' -f1; echo "recipe $RECIPE $IDLE_CMD"; } | sha256sum | cut -c1-16)

comment_of() { "$DOCKER" image inspect --format '{{.Comment}}' "$1" 2>/dev/null || true; }
id_of() { "$DOCKER" image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

comment="kubeprop busybox-static image, fingerprint $fingerprint"
if [ "$(comment_of "$BASE")" != "$comment" ]; then
  old_base=$(id_of "$BASE")
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs"/{bin,etc,root,tmp,proc,sys,dev,var/run,usr}
  chmod 1777 "$rootfs/tmp"
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  ln -s bin "$rootfs/sbin"
  ln -s ../bin "$rootfs/usr/bin"
  ln -s ../bin "$rootfs/usr/sbin"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -cf - . | "$DOCKER" import \
    --change "CMD $IDLE_CMD" \
    --change 'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' \
    --message "$comment" \
    - "$BASE" >/dev/null
  # A static busybox runs in an empty rootfs; a dynamic one (package busybox) would not.
  if ! out=$("$DOCKER" run --rm --network none "$BASE" sh -c 'echo ok' 2>&1) || [ "$out" != ok ]; then
    die "the imported image does not run ($out): is $BUSYBOX Debian's busybox-static? (apt-get install busybox-static)"
  fi
  echo "built    $BASE ($(id_of "$BASE" | cut -c8-19), fingerprint $fingerprint)"
  if [ -n "$old_base" ] && [ "$old_base" != "$(id_of "$BASE")" ]; then
    "$DOCKER" image rm "$old_base" >/dev/null 2>&1 || true
  fi
else
  echo "ok       $BASE (fingerprint $fingerprint)"
fi

base_id=$(id_of "$BASE")
for tag in "${TAGS[@]}"; do
  [ "$tag" = "$BASE" ] && continue
  current=$(id_of "$tag")
  if [ "$current" = "$base_id" ]; then
    echo "ok       $tag"
    continue
  fi
  "$DOCKER" tag "$base_id" "$tag"
  echo "tagged   $tag"
  # The image the tag pointed at before (an older build), if nothing else uses it now.
  if [ -n "$current" ]; then "$DOCKER" image rm "$current" >/dev/null 2>&1 || true; fi
done
