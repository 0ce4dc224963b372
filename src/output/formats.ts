// The -o formats of commands that print objects. No dependencies, so --help stays light.
export type OutputFormat = 'yaml' | 'json' | 'name';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['yaml', 'json', 'name'];
