import { describe, expect, it } from 'vitest';
import { noAdapterText } from '../../src/cli/gpu';
import { GpuAdapterUnavailableError, GpuDeviceRequestError } from '../../src/gpu/errors';

// The CLI's line when no GPU context opens: with no adapter at all it speaks of Node and Vulkan (the
// library's message is about browser settings), per adapter choice; other failures keep their first line.
describe('noAdapterText', () => {
  const env = { VK_ICD_FILENAMES: '/x/icd.json' };

  it('no adapter on the system driver: what to install, or the CPU adapter; nothing about browsers', () => {
    const text = noAdapterText('default', new GpuAdapterUnavailableError(), env);
    expect(text).toBe(
      "no WebGPU adapter: Dawn found no GPU through the system's Vulkan driver (requestAdapter() returned null); install the GPU vendor's Vulkan driver (vulkaninfo lists what Vulkan sees), or use --adapter swiftshader to run on the CPU",
    );
    expect(text).not.toMatch(/chrome:|Chromium|flags/);
  });

  it('no adapter on SwiftShader: the ICD in use and the library to check', () => {
    expect(noAdapterText('swiftshader', new GpuAdapterUnavailableError(), env)).toBe(
      "no WebGPU adapter: Dawn found none on SwiftShader's Vulkan driver (requestAdapter() returned null; VK_ICD_FILENAMES=/x/icd.json); is libvulkan1 installed?",
    );
  });

  it('another failure keeps the first line of its message, with the hint of its adapter choice', () => {
    const err = new GpuDeviceRequestError(new Error('limit refused\nsecond line'));
    expect(noAdapterText('default', err, env)).toBe(
      `no WebGPU adapter: ${err.message.split('\n')[0]} (no Vulkan GPU driver answered: install the vendor driver, or use --adapter swiftshader)`,
    );
    expect(noAdapterText('swiftshader', new Error('boom\nmore'), env)).toBe('no WebGPU adapter: boom (VK_ICD_FILENAMES=/x/icd.json; is libvulkan1 installed?)');
  });
});
