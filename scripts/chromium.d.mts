import type { Browser } from 'puppeteer';
export declare const WEBGPU_FLAGS: string[];
export declare function launchChromium(): Promise<Browser>;
