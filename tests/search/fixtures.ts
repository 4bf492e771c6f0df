/** Small real law files in the LawRefBook layout, written to a temp folder, for fast index tests. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const OLD_RULE = '罚款数额为一千元以下。';
export const NEW_RULE = '罚款数额为五千元以下。';

function law(title: string, info: string, articles: string[]): string {
  return [`# ${title}`, '', info, '', '<!-- INFO END -->', '', '## 第一章 总则', '', ...articles.map((a) => a + '\n')].join('\n');
}

/** Two versions of 示范管理法, one 示范采购条例, and a short report. Returns { lawsDir, knowledgeDir }. */
export async function writeFixtureKnowledge(root: string): Promise<{ lawsDir: string; knowledgeDir: string }> {
  const lawsDir = join(root, 'laws');
  const knowledgeDir = join(root, 'knowledge');
  await mkdir(join(lawsDir, '经济法'), { recursive: true });
  await mkdir(join(lawsDir, '行政法规'), { recursive: true });
  await mkdir(join(knowledgeDir, 'reports'), { recursive: true });
  const common = [
    '第一条 为了规范示范资金的管理，制定本法。',
    '第二条 示范年度自公历一月一日起，至十二月三十一日止。',
    '第三条 上级政府不得在预算之外调用下级政府的示范资金。',
  ];
  await writeFile(
    join(lawsDir, '经济法', '示范管理法(2020-01-01).md'),
    law('中华人民共和国示范管理法', '2020年1月1日 第一次会议通过', [...common, `第四条 违反本法规定的，${OLD_RULE}`]),
  );
  await writeFile(
    join(lawsDir, '经济法', '示范管理法(2023-06-01).md'),
    law('中华人民共和国示范管理法', '2023年6月1日 第二次会议修正', [...common, `第四条 违反本法规定的，${NEW_RULE}`]),
  );
  await writeFile(
    join(lawsDir, '行政法规', '示范采购条例(2021-03-01).md'),
    law('示范采购条例', '2021年3月1日 国务院公布', [
      '第一条 为了规范示范采购行为，制定本条例。',
      '第二条 采购人应当自合同签订之日起七个工作日内，将合同副本报同级财政部门备案。',
      '第三条 评审专家应当从专家库中随机抽取。',
    ]),
  );
  await writeFile(
    join(knowledgeDir, 'reports', '示范报告.txt'),
    '示范局2023年度工作报告\n一、主要工作\n（一）清理挂账。一是按照“锁定总额、消化存量、严控增量”的原则清理财政挂账。二是按月编制挂账报表。\n',
  );
  return { lawsDir, knowledgeDir };
}
