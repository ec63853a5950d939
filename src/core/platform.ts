/** The platform of the machine the extension host or the CLI runs on (the remote one over SSH). */
export function hostPlatform(nodePlatform: string = process.platform): 'windows' | 'macos' | 'linux' {
  return nodePlatform === 'win32' ? 'windows' : nodePlatform === 'darwin' ? 'macos' : 'linux';
}
