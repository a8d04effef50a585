/** packageExtension builds for production and writes the .vsix; returns its path. */
export function packageExtension(options?: { out?: string }): Promise<string>;
