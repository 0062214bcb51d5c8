// How GpuBatch lays dispatches into compute passes, against a fake device that records every command:
// untimed dispatches share one pass until an encoder-level command (copy, debug group, readback, submit)
// ends it; timed dispatches each get their own pass with timestamp writes. The browser tests check the
// results of real kernels through the same batches (every kernel test encodes several dispatches in one).
import { describe, expect, it } from 'vitest';
import { GpuBatch } from '../../src/gpu/batch';
import { BufferPool } from '../../src/gpu/buffers';
import type { GpuContext } from '../../src/gpu/context';

/** A fake device whose command encoder logs what is encoded, in order ('pass<', 'dispatch A', '>', …). */
function recordingGpu(hasTimestamps = false) {
  const log: string[] = [];
  let open = false;
  const buffer = (size: number) => ({ size, destroy() {}, getMappedRange: () => new ArrayBuffer(size), unmap() {}, mapAsync: async () => {} });
  const device = {
    limits: { maxComputeWorkgroupsPerDimension: 65_535, minUniformBufferOffsetAlignment: 256, maxBufferSize: 1 << 28, maxStorageBufferBindingSize: 1 << 27 },
    createBuffer: (d: { size: number }) => buffer(d.size),
    createQuerySet: () => ({ destroy() {} }),
    createCommandEncoder: () => {
      const encoderCommand = (name: string) => () => {
        // WebGPU refuses encoder commands while a pass is open: so does the fake.
        if (open) throw new Error(`${name} while a compute pass is open`);
        log.push(name);
      };
      return {
        beginComputePass(d: { label?: string; timestampWrites?: unknown }) {
          if (open) throw new Error('beginComputePass while a compute pass is open');
          open = true;
          log.push(d.timestampWrites ? 'timed pass<' : 'pass<');
          let pipeline = '';
          return {
            setPipeline: (p: { label: string }) => (pipeline = p.label),
            setBindGroup() {},
            dispatchWorkgroups: () => log.push(`dispatch ${pipeline}`),
            end() {
              open = false;
              log.push('>');
            },
          };
        },
        copyBufferToBuffer: encoderCommand('copy'),
        pushDebugGroup: encoderCommand('group<'),
        popDebugGroup: encoderCommand('group>'),
        resolveQuerySet: encoderCommand('resolve'),
        finish: () => {
          if (open) throw new Error('finish while a compute pass is open');
          log.push('finish');
          return {};
        },
      };
    },
    pushErrorScope() {},
    popErrorScope: async () => null,
    queue: { submit() {}, onSubmittedWorkDone: async () => {} },
  } as unknown as GPUDevice;
  const gpu = { device, limits: device.limits, pool: new BufferPool(device), pipelines: new Map(), lost: null, hasTimestamps } as unknown as GpuContext;
  return { gpu, log };
}

const pipe = (label: string) => ({ label }) as unknown as GPUComputePipeline;
const bind = {} as GPUBindGroup;

describe('GpuBatch: compute passes', () => {
  it('untimed dispatches share one pass; a copy, a debug group and submit end it, in encoding order', async () => {
    const { gpu, log } = recordingGpu();
    const batch = new GpuBatch(gpu, 'test');
    batch.dispatch('a', pipe('A'), bind, [1]);
    batch.dispatch('b', pipe('B'), bind, [2, 3]);
    batch.encoder.copyBufferToBuffer({} as GPUBuffer, 0, {} as GPUBuffer, 0, 4);
    batch.dispatch('c', pipe('C'), bind, [1]);
    batch.group('g', () => batch.dispatch('d', pipe('D'), bind, [1]));
    batch.dispatch('none', pipe('E'), bind, [0]); // no work: nothing encoded
    batch.dispatch('f', pipe('F'), bind, [1]);
    await batch.submit();
    expect(log).toEqual([
      'pass<',
      'dispatch A',
      'dispatch B',
      '>',
      'copy',
      'pass<',
      'dispatch C',
      '>',
      'group<',
      'pass<',
      'dispatch D',
      '>',
      'group>',
      'pass<',
      'dispatch F',
      '>',
      'finish',
    ]);
  });

  it('timed dispatches each get their own pass with timestamp writes', async () => {
    const { gpu, log } = recordingGpu(true);
    const batch = new GpuBatch(gpu, 'test', { timing: true });
    batch.dispatch('a', pipe('A'), bind, [1]);
    batch.dispatch('b', pipe('B'), bind, [1]);
    batch.dispose();
    expect(log).toEqual(['timed pass<', 'dispatch A', '>', 'timed pass<', 'dispatch B', '>']);
  });
});
