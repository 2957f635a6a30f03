// A readable API reference: Swagger UI (swagger-ui-dist, served from this hub, no CDN) over the
// version's own OpenAPI document. The page loads only scripts from this origin, so the strict
// content security policy stays on.
import { createRequire } from 'node:module';
import express, { type RequestHandler } from 'express';

const require = createRequire(import.meta.url);
// The package's index would load the whole browser bundle into Node; its path helper does not.
const assetsDir = (require('swagger-ui-dist/absolute-path.js') as () => string)();

export const docsAssets = (): RequestHandler => express.static(assetsDir, { index: false, maxAge: '1h', fallthrough: false });

export function docsPage(version: string): string {
  const base = `/${version}/docs`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>claimhub API ${version}</title>
<link rel="stylesheet" href="${base}/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${base}/assets/swagger-ui-bundle.js"></script>
<script src="${base}/init.js"></script>
</body>
</html>
`;
}

export function docsInit(version: string): string {
  return `window.ui = SwaggerUIBundle({ url: '/${version}/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });\n`;
}
