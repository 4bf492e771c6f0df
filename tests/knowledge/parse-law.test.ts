import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/knowledge/cleaners.ts';
import { parseLawText, versionFromFileName, versionFromInfo } from '../../src/knowledge/parse-law.ts';
import type { LawVersion } from '../../src/knowledge/types.ts';

type ParsedLaw = Omit<LawVersion, 'id' | 'status' | 'aliases'>;

function law(text: string, fileStem = '测试法', category = '经济法'): ParsedLaw {
  const parsed = parseLawText(text, { sourcePath: `${category}/${fileStem}.md`, category, fileStem });
  if (parsed.kind !== 'law') throw new Error('expected a law');
  return parsed.law;
}

const MARKDOWN = `# 中华人民共和国测试法

2014年8月31日 第十二届全国人民代表大会常务委员会第十次会议通过

<!-- INFO END -->

## 第一章  总 则

第一条 为了测试，制定本法。

第二条 本法所称预算，包括下列各项：

（一）一般公共预算；

（二）政府性基金预算。

第二条规定的预算，应当保持完整。

### 第一节 一般规定

第十条 第一款。

第十条之一 新增的条文。

第十条之二 又一条新增的条文。

## 第二章  附 则

第一百零三条 本法自公布之日起施行。
`;

describe('article boundaries', () => {
  const parsed = law(MARKDOWN, '测试法(2014-08-31)');

  it('numbers articles as integers, with 之一 as a suffix', () => {
    expect(parsed.articles.map((a) => [a.label, a.number, a.suffix])).toEqual([
      ['第一条', 1, 0],
      ['第二条', 2, 0],
      ['第十条', 10, 0],
      ['第十条之一', 10, 1],
      ['第十条之二', 10, 2],
      ['第一百零三条', 103, 0],
    ]);
  });

  it('keeps 款 and 项 inside their article; 「第X条规定…」 is a paragraph, not a new article', () => {
    const a2 = parsed.articles[1]!;
    expect(a2.paragraphs).toEqual([
      '本法所称预算，包括下列各项：',
      '（一）一般公共预算；',
      '（二）政府性基金预算。',
      '第二条规定的预算，应当保持完整。',
    ]);
    expect(a2.text).toBe(a2.paragraphs.join('\n'));
  });

  it('gives each article its 章/节 path with letter-spacing removed', () => {
    expect(parsed.articles[0]!.path).toEqual(['第一章 总则']);
    expect(parsed.articles[2]!.path).toEqual(['第一章 总则', '第一节 一般规定']);
    expect(parsed.articles[5]!.path).toEqual(['第二章 附则']);
  });

  it('accepts an article label glued to its text only in sequence (PDF text loses the space)', () => {
    const glued = law('中华人民共和国测试法\n第一条为了测试，制定本法。\n第二条本法所称测试。\n第一条规定的测试。\n第五条另有规定的，从其规定。');
    expect(glued.articles.map((a) => a.number)).toEqual([1, 2]);
    expect(glued.articles[1]!.paragraphs).toEqual(['本法所称测试。', '第一条规定的测试。', '第五条另有规定的，从其规定。']);
  });

  it('keeps an article that starts with 中央… as an article', () => {
    const p = law('中华人民共和国测试法\n第一条　为了测试。\n第二条　中央预算由全国人民代表大会审查。');
    expect(p.articles.map((a) => a.text)).toEqual(['为了测试。', '中央预算由全国人民代表大会审查。']);
  });
});

describe('versions', () => {
  it('takes the version from the file name in its several forms', () => {
    expect(versionFromFileName('预算法(2018-12-29)')).toBe('2018-12-29');
    expect(versionFromFileName('预算法（2018-12-29）')).toBe('2018-12-29');
    expect(versionFromFileName('中华人民共和国预算法_20181229')).toBe('2018-12-29');
    expect(versionFromFileName('中华人民共和国预算法（2018年12月29日修正）')).toBe('2018-12-29');
    expect(versionFromFileName('宪法修正案（2018年）')).toBeUndefined();
    expect(versionFromFileName('预算法')).toBeUndefined();
  });

  it('prefers the file name date over the info block', () => {
    expect(law(MARKDOWN, '测试法(2018-12-29)').version).toBe('2018-12-29');
  });

  it('takes the latest adoption or amendment date from the info block, not the entry-into-force date', () => {
    expect(law(MARKDOWN).version).toBe('2014-08-31');
    expect(versionFromInfo(['2019年4月3日中华人民共和国国务院令第711号公布 自2019年5月15日起施行'])).toBe('2019-04-03');
    expect(
      versionFromInfo([
        '1994年3月22日第八届全国人民代表大会第二次会议通过 根据2014年8月31日第十二届全国人民代表大会常务委员会第十次会议第一次修正 根据2018年12月29日第十三届全国人民代表大会常务委员会第七次会议第二次修正',
      ]),
    ).toBe('2018-12-29');
    expect(versionFromInfo(['2020年5月28日 第十三届全国人民代表大会第三次会议通过', '2021年1月1日 施行'])).toBe('2020-05-28');
    expect(versionFromInfo(['2021年1月1日 施行'])).toBe('2021-01-01');
  });
});

describe('plain text from the national law database', () => {
  const text = [
    '中华人民共和国政府信息测试条例',
    '（2007年4月5日中华人民共和国国务院令第492号公布　2019年4月3日中华人民共和国国务院令第711号修订）',
    '目　　录',
    '第一章　总　　则',
    '第二章　公开的主体和范围',
    '第一章　总　　则',
    '第一条　为了保障公民、法人和其他组织依法获取政府信息，制定本条例。',
    '第二章　公开的主体和范围',
    '第二条　行政机关应当建立健全本行政机关的政府信息公开工作制度。',
  ].join('\n');

  it('gets title, info, version, headings and articles after cleaning', () => {
    const p = law(cleanText(text, 'docx'), '政府信息测试条例', '行政法规');
    expect(p.title).toBe('中华人民共和国政府信息测试条例');
    expect(p.info).toHaveLength(1);
    expect(p.info[0]).toContain('2007年4月5日');
    expect(p.version).toBe('2019-04-03');
    expect(p.articles.map((a) => [a.label, a.path.join('/')])).toEqual([
      ['第一条', '第一章 总则'],
      ['第二条', '第二章 公开的主体和范围'],
    ]);
  });

  it('reads an info block in parentheses that spans several lines', () => {
    const p = law(['中华人民共和国测试法', '（2010年1月1日通过', '2015年6月1日修正）', '第一条　为了测试。'].join('\n'));
    expect(p.info).toEqual(['2010年1月1日通过', '2015年6月1日修正']);
    expect(p.version).toBe('2015-06-01');
  });

  it('keeps a text without articles as a document, opening lines included', () => {
    const parsed = parseLawText('关于做好测试工作的通知\n2023年1月5日发布\n各单位：\n请认真做好测试工作。', {
      sourcePath: '其他/通知.txt',
      category: '其他',
      fileStem: '通知',
    });
    expect(parsed.kind).toBe('document');
    if (parsed.kind === 'document') {
      expect(parsed.document.title).toBe('关于做好测试工作的通知');
      expect(parsed.document.sections.map((s) => s.text)).toEqual(['2023年1月5日发布', '各单位：', '请认真做好测试工作。']);
    }
  });

  it('reads the numbered items of an amendment (一、二、…) as its articles, the text before them as 序言', () => {
    const text = [
      '# 中华人民共和国测试法修正案（三）',
      '2001年12月29日 第九届全国人民代表大会常务委员会第二十五次会议通过',
      '<!-- INFO END -->',
      '为了惩治测试犯罪，对测试法作如下补充修改：',
      '一、将测试法第一百一十四条修改为：“放火、决水的，处三年以上十年以下有期徒刑。”',
      '二、在测试法第一百二十条后增加一条，作为第一百二十条之一：',
      '“资助恐怖活动组织的，处五年以下有期徒刑。”',
      '原第二款作为第三款。',
      '四、这一项跳过了三，仍属第二项。',
      '三、本修正案自公布之日起施行。',
    ].join('\n');
    const p = law(text, '测试法修正案（三）', '刑法');
    expect(p.articles.map((a) => [a.number, a.label])).toEqual([[0, '序言'], [1, '第一条'], [2, '第二条'], [3, '第三条']]);
    expect(p.articles[1]!.text).toBe('将测试法第一百一十四条修改为：“放火、决水的，处三年以上十年以下有期徒刑。”');
    expect(p.articles[2]!.paragraphs).toEqual(['在测试法第一百二十条后增加一条，作为第一百二十条之一：', '“资助恐怖活动组织的，处五年以下有期徒刑。”', '原第二款作为第三款。', '四、这一项跳过了三，仍属第二项。']);
    expect(p.articles[0]!.text).toBe('为了惩治测试犯罪，对测试法作如下补充修改：');
  });

  it('keeps numbered parts of a case write-up (案例) as a document', () => {
    const parsed = parseLawText('# 某某案\n<!-- INFO END -->\n一、基本案情\n二、裁判结果', { sourcePath: '案例/某某案.md', category: '案例', fileStem: '某某案' });
    expect(parsed.kind).toBe('document');
  });
});
