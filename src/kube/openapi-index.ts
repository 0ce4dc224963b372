// The index an API server serves at /openapi/v3: one document URL per group-version, each carrying
// the document's hash, so a changed schema (a CRD updated, say) shows as a changed URL.

export interface OpenApiIndex {
  paths?: Record<string, { serverRelativeURL?: string }>;
}

/** Where the index says a group-version's document is ("v1" is the core group's). */
export function openApiUrl(index: OpenApiIndex, gv: string): string | undefined {
  return index.paths?.[gv.includes('/') ? `apis/${gv}` : `api/${gv}`]?.serverRelativeURL;
}
