import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CollabPanelsProvider } from './collabPanels';
import { FinancePanelsProvider } from './financePanels';
import { ResourcePanelsProvider } from './resourcePanels';

const theme = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 6,
    // Chinese UI fonts first so CJK text does not fall back to a mismatched face.
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
};

/** Ant Design follows the UI language: zh_CN by default, en_US when English is chosen. */
function LocalizedAntd({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <LocalizedAntd>
        <CollabPanelsProvider>
          <FinancePanelsProvider>
            <ResourcePanelsProvider>{children}</ResourcePanelsProvider>
          </FinancePanelsProvider>
        </CollabPanelsProvider>
      </LocalizedAntd>
    </QueryClientProvider>
  );
}
