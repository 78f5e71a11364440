// The document shell of the HTML report: one self-contained file readable in a browser and in a mail client.
// Table layout, at most 720 px wide, system fonts, styles inline (mail clients drop <style> blocks or parts
// of them; the small block here only adds niceties), no scripts, no external requests.
import { esc } from './escape.ts';

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export function documentShell(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${esc(title)}</title>
<style>
body{margin:0;padding:0;background:#f6f8fa}
a:hover{text-decoration:underline!important}
svg{max-width:100%;height:auto}
</style>
</head>
<body style="margin:0;padding:0;background:#f6f8fa;font-family:${FONT};color:#1f2328">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;background:#f6f8fa">
<tr><td align="center" style="padding:16px 8px">
<table role="presentation" id="report" width="720" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;max-width:720px;background:#ffffff;border:1px solid #d0d7de;table-layout:fixed">
<tr><td style="padding:20px 20px 28px;font-family:${FONT};overflow-wrap:anywhere">
${body}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

export const section = (id: string, title: string, content: string): string =>
  `<div data-scope="${esc(id)}" style="margin-top:24px"><h2 style="font-size:19px;margin:0 0 8px;padding-bottom:4px;border-bottom:2px solid #0b57d0">${esc(title)}</h2>${content}</div>`;
