// Use a system Chromium when there is one (CI and this project's machines have Debian's chromium and no
// internet); elsewhere let puppeteer download Chrome for Testing as usual.
const fs = require('node:fs');

const candidates = [process.env.PUPPETEER_EXECUTABLE_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const systemChromium = candidates.find((p) => fs.existsSync(p));

/** @type {import('puppeteer').Configuration} */
module.exports = systemChromium ? { skipDownload: true, executablePath: systemChromium } : {};
