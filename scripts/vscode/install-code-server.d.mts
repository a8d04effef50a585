/** installCodeServer installs code-server into .vscode-test/ once and returns its entry script. */
export function installCodeServer(options?: { quiet?: boolean }): string;
