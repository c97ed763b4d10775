#!/usr/bin/env bash
# One run on a lent GPU machine (docs/benchmarks.md, "GPU machine"): Node WebGPU (Dawn over the
# NVIDIA Vulkan driver) information, a correctness check against the cpu backend, benchmarks with a
# per-kernel profile, optionally the same cases in PyTorch CUDA, then training the starry_night
# decoder until the deadline. Runs from the payload folder bench/device/build-payload.sh makes; every
# stage has its own time limit and a failing stage does not stop the later ones.
#
# Environment: OUT (results; default /tmp/devrun-out), DEVRUN_TOTAL_S (hard end, seconds after start;
# default 520), DEVRUN_TRAIN_END_S (training's last export, default DEVRUN_TOTAL_S - 20),
# DEVRUN_SCALE=tiny (small sizes for a software-Vulkan rehearsal), DEVRUN_SKIP="check torch" (stages left out).
set -u
P=$(cd "$(dirname "$0")" && pwd)
export OUT=${OUT:-/tmp/devrun-out}
mkdir -p "$OUT"
T0=$(date +%s)
TOTAL=${DEVRUN_TOTAL_S:-520}
TRAIN_END=${DEVRUN_TRAIN_END_S:-$((TOTAL - 20))}
exec > >(tee -a "$OUT/log.txt") 2>&1
export PYTHONUNBUFFERED=1
W=${DEVRUN_TMP:-/tmp/devrun}
export DEVRUN_TMP=$W
mkdir -p "$W/bin"
elapsed() { echo $(($(date +%s) - T0)); }
say() { echo "[devrun $(elapsed)s] $*"; }

# stage NAME LIMIT_S CMD...: runs CMD under a limit that never passes the hard end.
stage() {
  local name=$1 limit=$2
  shift 2
  case " ${DEVRUN_SKIP:-} " in *" $name "*) say "skip $name (DEVRUN_SKIP)"; return ;; esac
  local left=$((TOTAL - $(elapsed) - 5))
  [ "$limit" -gt "$left" ] && limit=$left
  if [ "$limit" -le 5 ]; then say "skip $name: no time left"; return; fi
  say "stage $name (limit ${limit}s)"
  timeout -k 5 "$limit" "$@"
  say "stage $name ended rc=$? after $(elapsed)s"
}

unxz_to() { # unxz_to FILE.xz DEST: xz, or Python's lzma where xz is missing
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}

say "unpacking to $W"
unxz_to "$P/bin/node.xz" "$W/bin/node" && chmod +x "$W/bin/node"
rm -rf "$W/app" && cp -r "$P/app" "$W/app"
unxz_to "$P/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz" "$W/app/node_modules/webgpu/dist/linux-x64/dawn.node"
rm -f "$W/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
export PATH="$W/bin:$PATH"
say "node: $(command -v node) $(node --version 2>&1)"

# Vulkan: the loader (libvulkan1, unpacked from .gl by the command) and the NVIDIA driver's ICD.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-runtime}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
say "loader: $(ldconfig -p | grep -m1 libvulkan.so.1 || echo 'libvulkan.so.1 NOT FOUND')"
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && ! ls /usr/share/vulkan/icd.d/nvidia_icd*.json /etc/vulkan/icd.d/nvidia_icd*.json >/dev/null 2>&1; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$f" ] && export VK_DRIVER_FILES=$f && break
  done
fi
say "ICD: VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} system: $(ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | tr '\n' ' ')"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi -L
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  GPU=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
else
  GPU=$(echo "no NVIDIA GPU"; [ -n "${VK_ICD_FILENAMES:-}" ] && echo "(Vulkan $(basename "$VK_ICD_FILENAMES"))")
fi
export DEVRUN_MACHINE="$(echo $GPU), $(nproc) CPU cores, Node WebGPU (Dawn, Vulkan)"
export DEVRUN_DATA="$P/data" MGAN_STUDIO_VGG19_DIR="$P/weights/vgg19"
RUN="$W/app/run.mjs"
FAST=$([ "${DEVRUN_SCALE:-}" = tiny ] && echo 4 || echo 1) # software Vulkan is slower: longer limits

stage info 60 node "$RUN" info
if ! grep -q '"stage":"info","backend"' "$OUT/results.jsonl" 2>/dev/null && [ -z "${VK_ICD_FILENAMES:-}" ]; then
  # No adapter: look for the NVIDIA ICD wherever the driver was mounted, and try once more.
  ICD=$(find /usr/local/nvidia /usr/share /etc /opt -maxdepth 6 -name 'nvidia_icd*.json' 2>/dev/null | head -1)
  say "no adapter; trying VK_DRIVER_FILES=${ICD:-none found}"
  if [ -n "$ICD" ]; then
    export VK_DRIVER_FILES=$ICD VK_LOADER_DEBUG=error
    stage info 60 node "$RUN" info
  fi
fi
stage check $((60 * FAST)) node "$RUN" check
if [ -f "$P/peers/peer.py" ] && python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  # The peer script times with perf_counter and no synchronisation: synchronise before each reading.
  stage torch 90 python3 -c '
import runpy, sys, time, torch
torch.set_default_device("cuda")
torch.backends.cudnn.benchmark = True
_pc = time.perf_counter
time.perf_counter = lambda: (torch.cuda.synchronize(), _pc())[1]
sys.argv = [sys.argv[1], "16", "--only=decode256,decode512,vgg_relu4_1_fwd512,mdan_iter256,mgan_train_step_b8_128"]
runpy.run_path(sys.argv[0], run_name="__main__")
' "$P/peers/peer.py" | sed -u 's/"pytorch-cpu"/"pytorch-cuda"/' | while IFS= read -r line; do
    echo "$line"
    case $line in '{'*) echo "$line" >>"$OUT/results.jsonl" ;; esac
  done
else
  say "skip torch: no peer script or no CUDA PyTorch"
fi
stage bench $((150 * FAST)) node "$RUN" bench
export DEVRUN_DEADLINE_MS=$(((T0 + TRAIN_END) * 1000))
stage train $((TRAIN_END + 15 - $(elapsed))) node "$RUN" train

rm -f "$OUT"/*.part
say "done; files in OUT:"
ls -la "$OUT"
