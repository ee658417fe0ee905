import { Resvg } from '@resvg/resvg-js';

/**
 * Rasterises a diagram SVG to PNG at `width` pixels (200-6000; height follows), capped so a request cannot ask for gigapixels. CPU work, no I/O beyond reading
 * the system fonts resvg needs to draw real text.
 */
export function renderPrismaPng(svg: string, width = 2000): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.max(200, Math.min(6000, Math.round(width))) },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
