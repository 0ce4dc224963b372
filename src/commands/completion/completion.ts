// Shell completion scripts generated from the command tree, so they never drift from the flags. Pure.

export interface CompletionCommand {
  name: string;
  flags: string[];
  subcommands: string[];
}

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');

/** A bash completion script: subcommands first, then that command's flags. */
export function bashCompletion(program: string, commands: CompletionCommand[], globalFlags: string[]): string {
  const cases = commands
    .map((c) => `    ${c.name}) words="${[...c.subcommands, ...c.flags, ...globalFlags].join(' ')}" ;;`)
    .join('\n');
  const fn = `_${id(program)}_complete`;
  return `# bash completion for ${program}; load with: source <(${program} completion bash)
${fn}() {
  local cur words cmd
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "\$COMP_CWORD" -eq 1 ]; then
    words="${commands.map((c) => c.name).join(' ')} ${globalFlags.join(' ')}"
  else
    case "\$cmd" in
${cases}
    *) words="${globalFlags.join(' ')}" ;;
    esac
  fi
  COMPREPLY=( \$(compgen -W "\$words" -- "\$cur") )
}
complete -o default -F ${fn} ${program}
`;
}

/** A zsh completion script (through bashcompinit, which zsh ships). */
export function zshCompletion(program: string, commands: CompletionCommand[], globalFlags: string[]): string {
  return `# zsh completion for ${program}; load with: source <(${program} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program, commands, globalFlags)}`;
}

/** A fish completion script. */
export function fishCompletion(program: string, commands: CompletionCommand[], globalFlags: string[]): string {
  const lines = [`# fish completion for ${program}; load with: ${program} completion fish | source`];
  lines.push(`complete -c ${program} -f -n '__fish_use_subcommand' -a '${commands.map((c) => c.name).join(' ')}'`);
  for (const c of commands) {
    for (const sub of c.subcommands)
      lines.push(`complete -c ${program} -f -n '__fish_seen_subcommand_from ${c.name}' -a '${sub}'`);
    for (const f of c.flags)
      lines.push(`complete -c ${program} -n '__fish_seen_subcommand_from ${c.name}' -l '${f.replace(/^--/, '')}'`);
  }
  for (const f of globalFlags) lines.push(`complete -c ${program} -l '${f.replace(/^--/, '')}'`);
  return `${lines.join('\n')}\n`;
}
