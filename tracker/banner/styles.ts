/**
 * The banner's CSS, inside its shadow root: site styles cannot reach it and it cannot reach the site. A fixed
 * overlay at the bottom (the page does not reflow), ≥ 44 px targets (every button, the language switch and ×
 * included, and each switch's whole label), buttons wrapping to full width on a
 * phone, visible focus, motion only when the visitor has not asked for less, real checkboxes in forced-colors
 * mode. Accept all and Reject all share one style: equally prominent.
 */
export const css =
  ':host{all:initial}' +
  '.d,.f{position:fixed;z-index:2147483647;box-sizing:border-box;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;color:#1b1b1b;background:#fff;box-shadow:0 -2px 16px #0004}' +
  '.d{left:0;right:0;bottom:0;max-height:85vh;overflow:auto;padding:16px max(16px,calc(50% - 450px));border-top:1px solid #767676}' +
  '.r{display:flex;gap:8px;align-items:flex-start}' +
  'h2{flex:1;margin:0;font-size:17px}' +
  'p{margin:8px 0}' +
  'a{color:#1a4fa3}' +
  '.a{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}' +
  'button{font:inherit;min-height:44px;padding:8px 18px;border:2px solid #1f3d7a;border-radius:6px;background:#1f3d7a;color:#fff;cursor:pointer}' +
  '.s{min-width:44px;padding:2px 10px;background:#fff;color:#1f3d7a;font-size:13px}' +
  '.f{left:12px;bottom:12px;padding:4px 12px;font-size:13px}' +
  '.c{margin:12px 0;padding-top:12px;border-top:1px solid #ddd}' +
  'label{display:flex;gap:12px;align-items:center;min-height:44px;font-weight:600}' +
  '.c p{margin:4px 0 0 52px;font-size:14px;color:#444}' +
  'input{appearance:none;flex:none;position:relative;width:40px;height:24px;margin:0;border-radius:12px;background:#767676;cursor:pointer}' +
  'input:before{content:"";position:absolute;top:3px;left:3px;width:18px;height:18px;border-radius:50%;background:#fff}' +
  'input:checked{background:#1f3d7a}input:checked:before{left:19px}input:disabled{opacity:.55;cursor:default}' +
  ':focus-visible{outline:3px solid #e37400;outline-offset:2px}.d:focus{outline:0}' +
  '@media(max-width:600px){.a button{flex:1 1 100%}}' +
  '@media(prefers-reduced-motion:no-preference){.n{animation:u .25s ease-out}input:before{transition:left .15s}}' +
  '@keyframes u{from{transform:translateY(100%)}}' +
  '@media(forced-colors:active){input{appearance:auto}input:before{display:none}}';
