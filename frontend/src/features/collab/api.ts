import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import type { SubjectType } from '@/lib/collab';

export type Comment = components['schemas']['CommentRead'];
export type Attachment = components['schemas']['AttachmentRead'];
export type Activity = components['schemas']['ActivityRead'];
export type Member = components['schemas']['MemberRead'];

export const COMMENTS_PAGE = 50;
export const ACTIVITY_PAGE = 20;

export const collabKeys = {
  all: ['collab'] as const,
  comments: (type: SubjectType, id: string) => ['collab', 'comments', type, id] as const,
  attachments: (type: SubjectType, id: string) => ['collab', 'attachments', type, id] as const,
  activity: (projectId: string, offset: number) => ['collab', 'activity', projectId, offset] as const,
  members: (q: string) => ['collab', 'members', q] as const,
};

function subjectPath(type: SubjectType, id: string) {
  return { path: { subject_type: type, subject_id: id } };
}

export function commentsQuery(type: SubjectType, id: string, limit: number = COMMENTS_PAGE) {
  return queryOptions({
    queryKey: [...collabKeys.comments(type, id), limit] as const,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/discussions/{subject_type}/{subject_id}/comments', {
          params: { ...subjectPath(type, id), query: { limit: Math.min(limit, 200), offset: 0 } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function attachmentsQuery(type: SubjectType, id: string) {
  return queryOptions({
    queryKey: collabKeys.attachments(type, id),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/discussions/{subject_type}/{subject_id}/attachments', {
          params: { ...subjectPath(type, id), query: { limit: 200, offset: 0 } },
        }),
      ),
  });
}

export function activityQuery(projectId: string, offset: number) {
  return queryOptions({
    queryKey: collabKeys.activity(projectId, offset),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{project_id}/activity', {
          params: { path: { project_id: projectId }, query: { limit: ACTIVITY_PAGE, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Members to mention: active ones whose name or e-mail matches what follows the `@`. */
export function mentionableQuery(q: string) {
  return queryOptions({
    queryKey: collabKeys.members(q),
    queryFn: () => unwrap(api.GET('/api/v1/members', { params: { query: { q: q || null, limit: 20, offset: 0 } } })),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** Where a file is downloaded from (a plain link: the session cookie goes with it). */
export function downloadUrl(attachmentId: string): string {
  return `/api/v1/attachments/${encodeURIComponent(attachmentId)}/content`;
}

function useInvalidate(keys: readonly (readonly unknown[])[]) {
  const queryClient = useQueryClient();
  // Comments and files change the project's activity too.
  return () =>
    Promise.all([...keys, ['collab', 'activity']].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useAddComment(type: SubjectType, id: string) {
  const invalidate = useInvalidate([collabKeys.comments(type, id)]);
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(
        api.POST('/api/v1/discussions/{subject_type}/{subject_id}/comments', {
          params: subjectPath(type, id),
          body: { body },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useEditComment(type: SubjectType, id: string) {
  const invalidate = useInvalidate([collabKeys.comments(type, id)]);
  return useMutation({
    mutationFn: ({ comment, body }: { comment: Comment; body: string }) =>
      unwrap(
        api.PATCH('/api/v1/comments/{comment_id}', {
          params: { path: { comment_id: comment.id } },
          body: { body, version: comment.version },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeleteComment(type: SubjectType, id: string) {
  const invalidate = useInvalidate([collabKeys.comments(type, id)]);
  return useMutation({
    mutationFn: (commentId: string) =>
      unwrap(api.DELETE('/api/v1/comments/{comment_id}', { params: { path: { comment_id: commentId } } })),
    onSuccess: invalidate,
  });
}

export function useUpload(type: SubjectType, id: string) {
  const invalidate = useInvalidate([collabKeys.attachments(type, id)]);
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return unwrap(
        api.POST('/api/v1/discussions/{subject_type}/{subject_id}/attachments', {
          params: subjectPath(type, id),
          // Multipart: the browser sets the boundary; the API streams the file to storage.
          body: form as unknown as { file: string },
        }),
      );
    },
    onSuccess: invalidate,
  });
}

export function useDeleteAttachment(type: SubjectType, id: string) {
  const invalidate = useInvalidate([collabKeys.attachments(type, id)]);
  return useMutation({
    mutationFn: (attachmentId: string) =>
      unwrap(api.DELETE('/api/v1/attachments/{attachment_id}', { params: { path: { attachment_id: attachmentId } } })),
    onSuccess: invalidate,
  });
}
