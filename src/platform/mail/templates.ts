/** A mail template: subject, plain text and HTML, each with {{name}} placeholders. */
export interface MailTemplate {
  subject: string;
  text: string;
  /** The body only; it is wrapped in the common layout. Values are HTML-escaped. */
  html: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function fill(template: string, values: Record<string, string>, escape: (v: string) => string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`mail template needs a value for ${name}`);
    return escape(values[name]);
  });
}

export function renderMail(template: MailTemplate, values: Record<string, string>): RenderedMail {
  const oneLine = (v: string) => v.replace(/[\r\n]+/g, ' ');
  const body = fill(template.html, values, escapeHtml);
  return {
    subject: fill(template.subject, values, oneLine),
    text: fill(template.text, values, (v) => v),
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#222">${body}<hr><p style="font-size:12px;color:#777">Sent by Tenantry.</p></body></html>`,
  };
}
