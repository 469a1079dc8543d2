import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as png2icons from 'png2icons';

/**
 * `npm run icons`: resources/icon.svg → the app icons electron-builder uses.
 *   resources/icon.png          1024×1024 (also the window icon on Linux)
 *   resources/icons/<n>x<n>.png Linux (AppImage, deb) sizes
 *   resources/icon.ico          Windows (NSIS installer and exe), 16–256 px
 *   resources/icon.icns         macOS (DMG and app bundle)
 * The outputs are committed; run this again after changing the SVG.
 */
const root = path.resolve(__dirname, '..', 'resources');
const svg = fs.readFileSync(path.join(root, 'icon.svg'));

function render(size: number): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng());
}

const master = render(1024);
fs.writeFileSync(path.join(root, 'icon.png'), master);
fs.mkdirSync(path.join(root, 'icons'), { recursive: true });
for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
  fs.writeFileSync(path.join(root, 'icons', `${size}x${size}.png`), render(size));
}
const ico = png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true);
const icns = png2icons.createICNS(master, png2icons.BICUBIC2, 0);
if (!ico || !icns) throw new Error('png2icons could not convert resources/icon.png');
fs.writeFileSync(path.join(root, 'icon.ico'), ico);
fs.writeFileSync(path.join(root, 'icon.icns'), icns);
console.log('icons written to resources/: icon.png, icons/*.png, icon.ico, icon.icns');
