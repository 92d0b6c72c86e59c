/**
 * How the project starts Debian's Chromium headless (benchmark and browser tests): WebGPU through
 * SwiftShader (software Vulkan), no background networking (this machine has no network), and no browser UI work.
 */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Chromium (151 on) pre-renders its address bar's popup (a WebUI page) in every browser it starts, headless
  // included: a renderer busy for seconds of CPU while the app starts, which a browser already open has long
  // finished. Off, so the bench measures the app (puppeteer turns it off too).
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
