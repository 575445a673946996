import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage, setLanguage, isLanguage } from '@/i18n';

/** Header and login page language picker; the choice is kept in localStorage. */
export function LanguageSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { t, i18n } = useTranslation();
  const active = isLanguage(i18n.language) ? i18n.language : currentLanguage();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [active],
        items: LANGUAGES.map((lang) => ({
          key: lang,
          label: <span data-testid={`language-option-${lang}`}>{t(`lang.${lang}`)}</span>,
        })),
        onClick: ({ key }) => {
          if (isLanguage(key)) void setLanguage(key);
        },
      }}
    >
      <Button type={type} icon={<GlobalOutlined />} aria-label={t('lang.label')} data-testid="language-switch">
        {t(`lang.${active}`)}
      </Button>
    </Dropdown>
  );
}
