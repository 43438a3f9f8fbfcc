// A Visual Studio solution (.sln, the text format): the C/C++ projects it lists and, for each solution
// configuration (`Release|x86`), the project configuration each project is built in (`Release|Win32`), if it
// is built at all (a `.Build.0` line).

import * as path from 'node:path';
import { onDisk } from './paths.js';
import { toNative } from './project.js';

export interface SolutionProject {
  name: string;
  /** The project file, absolute. */
  file: string;
  guid: string;
}

export interface Solution {
  file: string;
  projects: SolutionProject[];
  /** Solution configurations in the order the solution lists them. */
  configurations: string[];
  /** For a solution configuration and a project GUID: the project configuration built (absent: not built). */
  built: Map<string, Map<string, { configuration: string; platform: string }>>;
}

const PROJECT = /^Project\("\{[^}]*\}"\)\s*=\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*"\{([^}]*)\}"/;
const MAPPING = /^\{([^}]*)\}\.(.+?)\.(ActiveCfg|Build\.0)\s*=\s*(.+?)\s*$/;

export function parseSolution(file: string, text: string): Solution {
  const projects: SolutionProject[] = [];
  const configurations: string[] = [];
  const active = new Map<string, string>();
  const built: Solution['built'] = new Map();
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const project = PROJECT.exec(line);
    if (project) {
      if (/\.vcxproj$/i.test(project[2]!))
        projects.push({ name: project[1]!, file: onDisk(path.resolve(path.dirname(file), toNative(project[2]!))), guid: project[3]!.toUpperCase() });
      continue;
    }
    const open = /^GlobalSection\((\w+)\)/.exec(line);
    if (open) section = open[1]!;
    else if (line === 'EndGlobalSection') section = '';
    else if (section === 'SolutionConfigurationPlatforms') {
      const name = line.split('=')[0]!.trim();
      if (name && !configurations.includes(name)) configurations.push(name);
    } else if (section === 'ProjectConfigurationPlatforms') {
      const m = MAPPING.exec(line);
      if (!m) continue;
      const [, guid, solutionConfiguration, kind, projectConfiguration] = m;
      const key = `${guid!.toUpperCase()}\n${solutionConfiguration}`;
      if (kind === 'ActiveCfg') active.set(key, projectConfiguration!);
      else {
        const [configuration, platform] = (active.get(key) ?? projectConfiguration!).split('|');
        if (!configuration || !platform) continue;
        let byProject = built.get(solutionConfiguration!);
        if (!byProject) built.set(solutionConfiguration!, (byProject = new Map<string, { configuration: string; platform: string }>()));
        byProject.set(guid!.toUpperCase(), { configuration, platform });
      }
    }
  }
  return { file, projects, configurations, built };
}
