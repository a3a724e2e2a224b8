export interface BuildStamp { torchVersion: string | null; libDir: string | null }
export function readBuildStamp(binary: string): BuildStamp | null;
export function resolvedLibTorch(binary: string, env?: NodeJS.ProcessEnv): { path: string | null; version: string | null; missing: boolean } | null;
export function mismatchMessage(binary: string, env?: NodeJS.ProcessEnv): string | null;
