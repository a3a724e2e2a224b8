export function versionAtTorchDir(torchDir: string): string | null;
export function versionOfLibrary(libPath: string): string | null;
export function majorMinor(version: string | null | undefined): string | null;
