/**
 * How the report names a project: by its path when it is public, else only by its kind. The
 * report is a note on the request, which more people may see than the user's private
 * projects (an administrator token lists them all): their names stay out of it.
 */
export function reportName(project: { pathWithNamespace: string; visibility: string | null }): string {
  if (project.visibility === 'public') return project.pathWithNamespace;
  return project.visibility === 'internal' ? 'an internal project' : 'a private project';
}

/** Whether `reportName` left the name out. */
export const isUnnamed = (name: string) => name === 'an internal project' || name === 'a private project';
