import { html, type HtmlValue, type SafeHtml } from './html.ts';

/**
 * The few building blocks the pages are made of, so every table has header cells with a scope and every
 * list of facts is a definition list.
 */

export interface Section {
  id: string;
  heading: string;
  body: SafeHtml;
}

/** A top-level part of a page: `<section>` named by its `<h2>`. Sections are never nested. */
export function section({ id, heading, body }: Section): SafeHtml {
  return html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2>${body}</section>`;
}

export interface TableSpec {
  /** id of the heading that names the table */
  labelledBy: string;
  head: readonly string[];
  /** each row's first cell is its header cell */
  rows: readonly (readonly [HtmlValue, ...HtmlValue[]])[];
  /** give the row headers more room than the automatic layout would (they carry detail of their own) */
  wideRowHeaders?: boolean;
}

/** A data table with column and row headers, scrollable sideways (and keyboard-focusable) on narrow screens. */
export function table({ labelledBy, head, rows, wideRowHeaders }: TableSpec): SafeHtml {
  const body = rows.map(
    ([first, ...rest]) => html`<tr><th scope="row">${first}</th>${rest.map((cell) => html`<td>${cell}</td>`)}</tr>`,
  );
  return html`<div class="table" role="region" aria-labelledby="${labelledBy}" tabindex="0"><table aria-labelledby="${labelledBy}"${wideRowHeaders && html` class="wide-head"`}><thead><tr>${head.map(
    (h) => html`<th scope="col">${h}</th>`,
  )}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** Name–value pairs as a definition list; pairs whose value is missing are left out. */
export function pairs(entries: readonly (readonly [string, HtmlValue])[]): SafeHtml {
  const present = entries.filter(([, value]) => value !== undefined && value !== null && value !== false && value !== '');
  return html`<dl class="pairs">${present.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>`;
}

export function list(items: readonly HtmlValue[], ordered = false): SafeHtml {
  const lis = items.map((item) => html`<li>${item}</li>`);
  return ordered ? html`<ol>${lis}</ol>` : html`<ul>${lis}</ul>`;
}

/** A subsection heading with an id, so tables below it can name themselves after it. */
export function subheading(id: string, text: string): SafeHtml {
  return html`<h3 id="${id}">${text}</h3>`;
}

/** A sentence followed by a link to another privacy page. */
export function linkParagraph(sentence: string, href: string, linkText: string): SafeHtml {
  return html`<p>${sentence} <a href="${href}">${linkText}</a></p>`;
}
