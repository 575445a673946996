import { useQuery } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';
import { PageFallback } from '@/components/PageFallback';
import { StatusResult } from '@/components/StatusResult';
import { projectIssuesPath } from '@/lib/paths';
import { issueQuery } from './api';

/**
 * `/issues/:issueId`: where a link that knows only the issue or risk (assigned, overdue,
 * escalated, a mention) lands — the issue opened in its project's log.
 */
export function IssueRedirect() {
  const { issueId = '' } = useParams();
  const issue = useQuery({ ...issueQuery(issueId), retry: false });
  if (issue.isError) return <StatusResult kind="notFound" />;
  if (!issue.data) return <PageFallback />;
  return <Navigate replace to={projectIssuesPath(issue.data.project_id, issue.data.id)} />;
}
