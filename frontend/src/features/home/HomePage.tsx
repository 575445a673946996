import type { ComponentType } from 'react';
import type { Role } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { AdminHome } from './AdminHome';
import { DirectorHome } from './DirectorHome';
import { FinanceHome } from './FinanceHome';
import { MemberHome } from './MemberHome';
import { ProjectManagerHome } from './ProjectManagerHome';
import { ViewerHome } from './ViewerHome';

/** Each role has its own home page, not one page with parts hidden. */
const HOMES: Record<Role, ComponentType> = {
  admin: AdminHome,
  director: DirectorHome,
  project_manager: ProjectManagerHome,
  member: MemberHome,
  finance: FinanceHome,
  viewer: ViewerHome,
};

export function HomePage() {
  const { role } = useSession();
  const Home = HOMES[role] ?? ViewerHome;
  return <Home />;
}
