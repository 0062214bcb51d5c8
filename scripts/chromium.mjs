// Headless Chromium with real WebGPU, shared by the browser tests and the benchmarks.
import puppeteer from 'puppeteer';

/** Flags that give headless Chromium WebGPU on the CPU (SwiftShader) on a machine with no GPU. */
export const WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium with WebGPU (the executable comes from .puppeteerrc.cjs). */
export function launchChromium() {
  return puppeteer.launch({ headless: true, args: WEBGPU_FLAGS, protocolTimeout: 3_600_000 });
}
