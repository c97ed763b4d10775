/**
 * System programs some tests need (ffmpeg for video files, Chromium for the browser tests). A test
 * that needs one and cannot find it fails with the command that installs it: it never skips quietly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Chromium the browser tests drive (Debian's, from apt); `$CHROMIUM_PATH` names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let ffmpegProblem: string | null | undefined;

/** Throws, failing the test or hook that calls it, unless ffmpeg and ffprobe are on the PATH. */
export function requireFfmpeg(): void {
  ffmpegProblem ??=
    ['ffmpeg', 'ffprobe']
      .filter((program) => spawnSync(program, ['-version']).status !== 0)
      .map((program) => `${program} is not on the PATH: this test needs it (apt-get install ffmpeg)`)[0] ?? null;
  if (ffmpegProblem) throw new Error(ffmpegProblem);
}

/** Throws unless util-linux's `script` (a pseudo-terminal for a child process) is on the PATH. */
export function requireScript(): void {
  if (spawnSync('script', ['--version']).status !== 0) throw new Error('script is not on the PATH: this test needs it (apt-get install bsdutils)');
}

/** Throws unless the Chromium executable is there. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not at ${CHROMIUM_PATH}: the browser tests need it (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
}

/**
 * Stops the whole run from a Vitest global setup with one line saying what to do. (An error thrown
 * there is printed below a misleading "No test files found" and a stack.)
 */
export function stopRun(line: string): never {
  console.error(line);
  process.exit(1);
}

/** Mesa's software Vulkan driver, which the Node WebGPU tests run on. */
export const LAVAPIPE_ICD = process.env.VK_ICD_FILENAMES ?? '/usr/share/vulkan/icd.d/lvp_icd.json';

/**
 * Starts Node WebGPU (the `webgpu` package's Dawn) on Mesa lavapipe as the current tfjs backend, or
 * throws with the command that installs what is missing. Sets VK_ICD_FILENAMES and XDG_RUNTIME_DIR
 * (Dawn reads them when it loads) unless they are set. `shaderF16: false` leaves lavapipe's shader-f16
 * off (the device f32-only GPUs give).
 */
export async function startLavapipeWebGpu(options: { shaderF16?: boolean } = {}): Promise<void> {
  if (!existsSync(LAVAPIPE_ICD)) {
    throw new Error(
      `Mesa lavapipe is not installed (${LAVAPIPE_ICD} is missing): the WebGPU tests need Mesa 25's software Vulkan ` +
        `(echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/backports.list; ` +
        `apt-get update; apt-get install -t bookworm-backports mesa-vulkan-drivers)`,
    );
  }
  process.env.VK_ICD_FILENAMES = LAVAPIPE_ICD;
  if (!process.env.XDG_RUNTIME_DIR) {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'xdg-'));
  }
  const { initBackend } = await import('../../src/runtime/backend');
  try {
    await initBackend('webgpu', { shaderF16: options.shaderF16 });
  } catch (e) {
    throw new Error(`${(e as Error).message} (the WebGPU tests need the \`webgpu\` devDependency: npm install, or npm install --save-dev webgpu)`);
  }
}
