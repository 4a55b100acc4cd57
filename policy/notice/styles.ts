/**
 * The pages' only stylesheet, inlined (the CSP allows no other): system fonts, a readable measure, tables
 * that scroll sideways on a phone instead of overflowing, WCAG AA contrast in light and dark, and a print
 * layout without navigation (external links already show their address as their text).
 */
export const noticeCss = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#ffffff;--muted:#474747;--link:#0a4fb8;--line:#b9bec6;--head:#eef1f5;--focus:#b3470b}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#16181b;--muted:#c6c6c6;--link:#9cc0ff;--line:#4b515a;--head:#23272d;--focus:#ffb27a}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.75 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Hiragino Kaku Gothic ProN","Noto Sans JP","Yu Gothic UI",Meiryo,sans-serif;overflow-wrap:break-word}
a{color:var(--link);text-underline-offset:.15em;overflow-wrap:anywhere}
a:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-100vw;top:.5rem;padding:.5rem 1rem;background:var(--bg);color:var(--link);border:2px solid var(--focus);z-index:1}
.skip:focus{left:.5rem}
header,main,footer{max-width:50rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid var(--line)}
header p{margin:0}
.company{font-weight:600}
header nav ul{list-style:none;margin:.5rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
header nav a[aria-current]{color:var(--fg);font-weight:600;text-decoration:none}
.lang{margin:.25rem 0 .75rem}
main{padding-bottom:2rem}
h1{font-size:1.75rem;line-height:1.3;margin:1.5rem 0 .75rem}
h2{font-size:1.35rem;line-height:1.35;margin:2.25rem 0 .75rem;padding-top:.75rem;border-top:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
.meta{color:var(--muted);margin:0}
.toc ol{padding-left:1.5rem;margin:.25rem 0}
dl{margin:.5rem 0}
dt{font-weight:600}
dd{margin:0 0 .5rem}
@media (min-width:40rem){.pairs{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.25rem 1.25rem}.pairs dd{margin:0}}
.table{overflow-x:auto;margin:.75rem 0}
table{border-collapse:collapse;width:100%}
caption{text-align:start;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.45rem .6rem;text-align:start;vertical-align:top}
thead th{background:var(--head)}
tbody th{font-weight:600}
dd ul,td ul{margin:0;padding-left:1.1rem}
.note{color:var(--muted);font-size:.95rem;font-weight:400;margin:.25rem 0 0}
.wide-head tbody th{width:45%}
.tag,.card{border:1px solid var(--line);border-radius:.375rem;padding:0 1rem .5rem;margin:1rem 0}
.tag h2{border-top:0;margin-top:1rem;padding-top:0}
.card h3{margin-top:.75rem}
.card>p{margin:.25rem 0}
footer{border-top:1px solid var(--line);padding-top:.75rem;padding-bottom:2rem;color:var(--muted);font-size:.9rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}
@media print{
.skip,header nav,.lang,.toc{display:none}
body{font-size:10.5pt;line-height:1.6;color:#000;background:#fff}
a{color:#000}
.table{overflow:visible}
thead th{background:none}
h2,h3{break-after:avoid}
tr,dt,dd,.tag,.card{break-inside:avoid}
}
`.trim();
