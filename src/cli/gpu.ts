// The GPU in Node: Dawn's binding (the `webgpu` package) on SwiftShader's Vulkan driver (a CPU) or on the
// system's Vulkan driver (a GPU server), wrapped in the same GpuContext the app uses.
import { existsSync } from 'node:fs';
import { requestGpu, type GpuContext } from '../gpu/context';
import { GpuAdapterUnavailableError } from '../gpu/errors';

export type AdapterChoice = 'swiftshader' | 'default';

/** Where Debian's chromium puts SwiftShader's Vulkan ICD (the driver description Vulkan's loader reads). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// Dawn's GPU object must outlive every adapter and device made from it: once garbage-collected, its
// instance is torn down under the device's worker threads (a crash, not an error).
const keepAlive: GPU[] = [];

/** A runtime failure (no Vulkan, no adapter…): one line, exit code 1. */
export class RuntimeFailure extends Error {
  override readonly name = 'RuntimeFailure';
}

/** One line naming the adapter, e.g. `google / swiftshader (SwiftShader Device (Subzero)), fallback adapter; timestamps: yes; subgroups: yes`. */
export function adapterLine(gpu: Pick<GpuContext, 'summary'>): string {
  const a = gpu.summary;
  const what = [a.device, a.description].filter(Boolean).join(', ');
  return (
    `${a.vendor} / ${a.architecture}${what ? ` (${what})` : ''}${a.isFallbackAdapter ? ', fallback adapter' : ''}; ` +
    `timestamps: ${a.hasTimestamps ? 'yes' : 'no'}; subgroups: ${a.hasSubgroups ? 'yes' : 'no'}`
  );
}

/**
 * Opens a GpuContext through Dawn. `swiftshader` points VK_ICD_FILENAMES at SwiftShader's ICD when it is
 * unset and asks for the fallback adapter; `default` leaves the environment alone (the system's driver).
 */
export async function openNodeGpu(choice: AdapterChoice, env: NodeJS.ProcessEnv = process.env): Promise<GpuContext> {
  if (choice === 'swiftshader' && !env.VK_ICD_FILENAMES) {
    if (!existsSync(SWIFTSHADER_ICD)) {
      throw new RuntimeFailure(
        `SwiftShader's Vulkan driver was not found at ${SWIFTSHADER_ICD} (Debian: apt-get install chromium); set VK_ICD_FILENAMES to its vk_swiftshader_icd.json, or use --adapter default on a machine with a GPU`,
      );
    }
    env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (err) {
    const why = String((err as Error)?.message ?? err).split('\n')[0];
    throw new RuntimeFailure(`Dawn's Node binding (the webgpu package) could not be loaded: ${why} (is libvulkan1 installed?)`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create(choice === 'swiftshader' ? ['adapter=SwiftShader'] : []);
  keepAlive.push(gpu);
  try {
    return await requestGpu({ gpu, forceFallbackAdapter: choice === 'swiftshader' });
  } catch (err) {
    throw new RuntimeFailure(noAdapterText(choice, err, env));
  }
}

/**
 * The one line for a context that could not be opened. No adapter at all gets a sentence about Node and
 * Vulkan (the library's own message speaks of browser settings); any other failure keeps its first line.
 */
export function noAdapterText(choice: AdapterChoice, err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (err instanceof GpuAdapterUnavailableError) {
    return choice === 'swiftshader'
      ? `no WebGPU adapter: Dawn found none on SwiftShader's Vulkan driver (requestAdapter() returned null; VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}); is libvulkan1 installed?`
      : "no WebGPU adapter: Dawn found no GPU through the system's Vulkan driver (requestAdapter() returned null); install the GPU vendor's Vulkan driver (vulkaninfo lists what Vulkan sees), or use --adapter swiftshader to run on the CPU";
  }
  const why = String((err as Error)?.message ?? err).split('\n')[0];
  const hint =
    choice === 'swiftshader'
      ? ` (VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}; is libvulkan1 installed?)`
      : ' (no Vulkan GPU driver answered: install the vendor driver, or use --adapter swiftshader)';
  return `no WebGPU adapter: ${why}${hint}`;
}
