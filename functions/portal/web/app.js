// The clerks' portal page: sign in with the unit's Cognito account (USER_PASSWORD_AUTH, from
// the browser), then the unit's period, deadline and status, uploads by presigned POST with
// progress, the feedback of each upload as soon as ingest has written it, the history and the
// templates. Plain script, no build step; every text from the server goes in as text, never HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const MAX_BYTES = 5 * 1024 * 1024;
  const ZONE = 'Asia/Ho_Chi_Minh';
  const numbers = new Intl.NumberFormat('vi-VN');
  const megabytes = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' });
  const dateOnly = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });

  const STATUS = {
    on_time: 'Đã báo cáo đúng hạn', late: 'Đã báo cáo (muộn hạn)', missing: 'Chưa báo cáo', rejected_only: 'Đã gửi nhưng tệp bị từ chối, cần gửi lại',
  };
  const OUTCOME = { accepted: 'đã tiếp nhận', unchanged: 'không thay đổi (giống lần gửi trước)', rejected: 'bị từ chối' };
  const OUTCOME_OTHER_PERIOD = { accepted: 'đã tiếp nhận cho kỳ', unchanged: 'không thay đổi (giống lần gửi trước) cho kỳ' };
  const COUNTS = [
    ['received_online', 'Nhận trực tuyến'], ['received_direct', 'Nhận trực tiếp'], ['received_postal', 'Nhận qua bưu chính'],
    ['carried_over', 'Từ kỳ trước chuyển qua'], ['resolved_early', 'Giải quyết trước hạn'], ['resolved_on_time', 'Giải quyết đúng hạn'],
    ['resolved_overdue', 'Giải quyết quá hạn'], ['pending_within', 'Đang giải quyết trong hạn'], ['pending_overdue', 'Đang giải quyết quá hạn'],
    ['returned_postal', 'Trả kết quả qua bưu chính'],
  ];
  const COGNITO_ERRORS = {
    NotAuthorizedException: 'Sai tên đăng nhập hoặc mật khẩu.',
    UserNotFoundException: 'Sai tên đăng nhập hoặc mật khẩu.',
    InvalidPasswordException: 'Mật khẩu mới chưa đủ mạnh: cần ít nhất 10 ký tự, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt.',
    CodeMismatchException: 'Mã xác minh không đúng: kiểm tra lại mã trong thư.',
    ExpiredCodeException: 'Mã xác minh đã hết hạn: bấm "Quên mật khẩu?" để nhận mã mới.',
    LimitExceededException: 'Thử quá nhiều lần, vui lòng đợi ít phút.',
    PasswordResetRequiredException: 'Mật khẩu cần được đặt lại: liên hệ quản trị viên.',
    TooManyRequestsException: 'Thử quá nhiều lần, vui lòng đợi ít phút.',
  };

  let config = null;
  // The session, in this tab only (sessionStorage; signing out clears it): the ID token the API
  // takes, the refresh token that renews it (ID tokens last an hour), when to renew it, and who
  // signed in (to fill in the name when the session ends).
  let token = sessionStorage.getItem('tthc-token');
  let renewAt = Number(sessionStorage.getItem('tthc-renew-at')) || 0;
  const RENEW_EARLY = 5 * 60_000;
  /** The send under way, or one whose result the clerk has yet to see: { name, key, before, sent }. */
  let upload = null;
  /** Who was signed in when the session ended: the same clerk signing in again finds the send where it was. */
  let expiredUser = null;
  let me = null;
  let clockSkew = 0; // server's clock minus this browser's (the server may run at a fixed --at)
  let challenge = null;
  let timer = null;

  const say = (text) => { $('notice').textContent = text; };
  const periodLabel = (p) => `${p.slice(5)}/${p.slice(0, 4)}`;
  const dayLabel = (d) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`; // YYYY-MM-DD → DD/MM/YYYY
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const c of children) node.append(c);
    return node;
  }

  async function loadConfig() {
    if (!config) config = await (await fetch('/config.json', { cache: 'no-store' })).json();
    return config;
  }

  // Each call's refusals in its own words. Signing in: the local emulator answers a wrong
  // password with InvalidPasswordException, AWS with NotAuthorizedException.
  const SIGN_IN_ERRORS = { InvalidPasswordException: 'Sai tên đăng nhập hoặc mật khẩu.' };
  const NEW_PASSWORD_ERRORS = { InvalidPasswordException: COGNITO_ERRORS.InvalidPasswordException };
  /**
   * The pool's policy (infra/constructs/portal.ts: 10 characters, upper and lower case of the
   * basic Latin alphabet, a digit, a symbol), checked before Cognito is asked: the local
   * emulator does not check it, and a refusal read here is one round trip sooner.
   */
  const weakPassword = (p) => p.length < 10 || !/[a-z]/.test(p) || !/[A-Z]/.test(p) || !/[0-9]/.test(p) || !/[^A-Za-z0-9]/.test(p);
  // Asking for a code. AWS says nothing of whether the account exists (the page must not either):
  // an unknown name gets the same answer as a known one.
  const NO_EMAIL = 'Tài khoản chưa có địa chỉ thư đã xác minh để nhận mã: liên hệ quản trị viên.';
  const REQUEST_ERRORS = {
    NotAuthorizedException: 'Tài khoản này chưa đặt mật khẩu riêng: đăng nhập bằng mật khẩu tạm thời trong thư mời (hiệu lực 7 ngày) rồi đặt mật khẩu mới; thư mời đã quá hạn thì liên hệ quản trị viên.',
    InvalidParameterException: NO_EMAIL,
    Unsupported: NO_EMAIL,
  };
  // Setting the new password with the code.
  const CONFIRM_ERRORS = {
    InvalidParameterException: 'Mã xác minh hoặc mật khẩu mới không hợp lệ (không để dấu cách ở đầu hoặc cuối).',
    UserNotFoundException: COGNITO_ERRORS.CodeMismatchException,
  };

  async function cognito(target, body, errors = {}) {
    const { cognito: pool } = await loadConfig();
    let res;
    try {
      res = await fetch(`${pool.endpoint.replace(/\/$/, '')}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
        body: JSON.stringify({ ClientId: pool.clientId, ...body }),
      });
    } catch {
      throw new Error('Không kết nối được máy chủ đăng nhập. Kiểm tra mạng rồi thử lại.');
    }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const type = String(data.__type || '').split('#').pop();
      throw Object.assign(new Error(errors[type] || COGNITO_ERRORS[type] || 'Không thực hiện được, vui lòng thử lại.'), { type });
    }
    return data;
  }

  /** Keeps what Cognito answered a sign-in or a renewal with (a renewal brings no new refresh token). */
  function keepTokens(result) {
    token = result.IdToken;
    sessionStorage.setItem('tthc-token', token);
    if (result.RefreshToken) sessionStorage.setItem('tthc-refresh', result.RefreshToken);
    // Renewed a little before it expires, timed by the token's lifetime on this browser's clock
    // (an office computer's clock may be hours off: exp itself is not compared with it).
    let lifetime = 3_600_000;
    try {
      const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      if (claims.exp > claims.iat) lifetime = (claims.exp - claims.iat) * 1000;
    } catch {
      // An unreadable token: an hour, as the pool's are.
    }
    renewAt = Date.now() + Math.max(0, lifetime - RENEW_EARLY);
    sessionStorage.setItem('tthc-renew-at', String(renewAt));
  }

  let renewing = null;
  /**
   * A new ID token from the refresh token (InitiateAuth REFRESH_TOKEN_AUTH, as the sign-in's
   * endpoint and client): true when renewed, false when Cognito refuses (the refresh token
   * expired or revoked). No network: the error, and the session is left as it is.
   */
  function renew() {
    if (!renewing) {
      renewing = (async () => {
        const refresh = sessionStorage.getItem('tthc-refresh');
        if (!refresh) return false;
        try {
          keepTokens((await cognito('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refresh } })).AuthenticationResult);
          return true;
        } catch (e) {
          if (!e.type) throw e;
          renewAt = Infinity; // asked again only on a 401
          return false;
        }
      })().finally(() => { renewing = null; });
    }
    return renewing;
  }

  async function api(path, init = {}) {
    if (token && Date.now() >= renewAt) await renew(); // refused: the request below tells whether the token still holds
    const send = async () => {
      const headers = { authorization: `Bearer ${token}` };
      if (init.body) headers['content-type'] = 'application/json';
      try {
        return await fetch(path, { ...init, headers });
      } catch {
        throw new Error('Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.');
      }
    };
    let res = await send();
    // Expired (or refused) token: renewed once and the request sent again.
    if (res.status === 401 && token && (await renew())) res = await send();
    if (res.status === 401) {
      sessionExpired();
      throw Object.assign(new Error('Phiên đăng nhập đã hết hạn.'), { expired: true });
    }
    if (!res.ok) {
      const data = await res.json().catch(() => ({}));
      throw new Error((data.error && data.error.message) || `Máy chủ trả lỗi ${res.status}.`);
    }
    return res;
  }
  const apiJson = async (path, init) => (await api(path, init)).json();

  // ---- sign in / out

  async function onSignIn(event) {
    event.preventDefault();
    const username = $('username').value.trim();
    const password = $('password').value;
    $('sign-in-error').textContent = '';
    if (!username || !password) {
      $('sign-in-error').textContent = 'Nhập tên đăng nhập và mật khẩu.';
      (username ? $('password') : $('username')).focus();
      return;
    }
    $('sign-in-button').disabled = true;
    try {
      let out;
      if (challenge) {
        const newPassword = $('new-password').value;
        if (!newPassword) {
          $('sign-in-error').textContent = 'Nhập mật khẩu mới: ít nhất 10 ký tự, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt.';
          $('new-password').focus();
          return; // finally gives the button back
        }
        if (weakPassword(newPassword)) {
          $('sign-in-error').textContent = COGNITO_ERRORS.InvalidPasswordException;
          $('new-password').focus();
          return;
        }
        out = await cognito('RespondToAuthChallenge', {
          ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
        }, NEW_PASSWORD_ERRORS);
      } else {
        out = await cognito('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }, SIGN_IN_ERRORS);
      }
      if (out.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
        challenge = out.Session;
        $('new-password-box').hidden = false;
        $('sign-in-error').textContent = 'Lần đăng nhập đầu: hãy đặt mật khẩu mới.';
        $('new-password').focus();
        return;
      }
      keepTokens(out.AuthenticationResult);
      sessionStorage.setItem('tthc-user', username);
      // A send cut short by the end of the session is this clerk's to finish, nobody else's.
      const same = expiredUser !== null && expiredUser.toUpperCase() === username.toUpperCase();
      if (!same) $('file').value = '';
      const pending = same && upload && upload.sent ? upload : null;
      upload = null;
      expiredUser = null;
      if (pending) $('send').disabled = true; // until its result is in: no second send meanwhile
      challenge = null;
      $('new-password-box').hidden = true;
      $('password').value = '';
      $('new-password').value = '';
      await showUnit();
      if (pending) resumeUpload(pending); // its result, now that the clerk is back
    } catch (e) {
      $('send').disabled = false;
      $('sign-in-error').textContent = e.message;
      (challenge ? $('new-password') : $('password')).focus(); // the disabled button held the focus
    } finally {
      $('sign-in-button').disabled = false;
    }
  }

  // ---- a forgotten password: Cognito mails a code to the unit's address, the clerk sets a new password with it

  let resetUser = null; // the account the code was asked for: the reset is for it, whatever the field says since

  function closeReset() {
    resetUser = null;
    $('reset-form').hidden = true;
    for (const id of ['reset-code', 'reset-password']) $(id).value = '';
    for (const id of ['reset-info', 'reset-error']) $(id).textContent = '';
  }

  async function onForgot() {
    const username = $('username').value.trim();
    $('sign-in-error').textContent = '';
    closeReset();
    if (!username) {
      $('sign-in-error').textContent = 'Nhập tên đăng nhập (mã đơn vị) rồi bấm "Quên mật khẩu?".';
      $('username').focus();
      return;
    }
    $('forgot').disabled = true;
    try {
      let to = null;
      try {
        const out = await cognito('ForgotPassword', { Username: username }, REQUEST_ERRORS);
        to = out.CodeDeliveryDetails && out.CodeDeliveryDetails.Destination;
      } catch (e) {
        if (e.type !== 'UserNotFoundException') throw e; // as AWS answers it: no word of whether it exists
      }
      resetUser = username;
      $('reset-info').textContent = `Tài khoản ${username}: nếu tên đăng nhập đúng, mã xác minh đã được gửi tới ${to || 'địa chỉ thư của tài khoản'} (hiệu lực 1 giờ; bấm lại "Quên mật khẩu?" thì chỉ mã trong thư mới nhất dùng được). Nhập mã và mật khẩu mới.`;
      $('reset-form').hidden = false;
      $('reset-code').focus();
    } catch (e) {
      $('sign-in-error').textContent = e.message;
      $('username').focus();
    } finally {
      $('forgot').disabled = false;
    }
  }

  async function onReset(event) {
    event.preventDefault();
    const code = $('reset-code').value.trim();
    const password = $('reset-password').value;
    $('reset-error').textContent = '';
    if (!resetUser) return closeReset();
    if (!code || !password) {
      $('reset-error').textContent = 'Nhập mã xác minh và mật khẩu mới.';
      (code ? $('reset-password') : $('reset-code')).focus();
      return;
    }
    if (weakPassword(password)) {
      $('reset-error').textContent = COGNITO_ERRORS.InvalidPasswordException;
      $('reset-password').focus();
      return;
    }
    $('reset-button').disabled = true;
    try {
      await cognito('ConfirmForgotPassword', { Username: resetUser, ConfirmationCode: code, Password: password }, CONFIRM_ERRORS);
      $('username').value = resetUser;
      closeReset();
      $('password').value = '';
      say('Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới.');
      $('password').focus();
    } catch (e) {
      $('reset-error').textContent = e.message;
      (e.type === 'InvalidPasswordException' ? $('reset-password') : $('reset-code')).focus();
    } finally {
      $('reset-button').disabled = false;
    }
  }

  function signOut(message, { keepFile = false } = {}) {
    token = null;
    me = null;
    renewAt = 0;
    for (const k of ['tthc-token', 'tthc-refresh', 'tthc-renew-at', 'tthc-user']) sessionStorage.removeItem(k);
    clearInterval(timer);
    // A shared office computer: nothing of the previous clerk stays on the page.
    upload = null;
    expiredUser = null;
    if (!keepFile) $('file').value = '';
    $('username').value = '';
    $('sign-in-error').textContent = '';
    challenge = null;
    $('new-password-box').hidden = true;
    closeReset();
    for (const id of ['feedback', 'history-list', 'admin-list']) $(id).replaceChildren();
    $('unit').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    say(message || '');
    $('username').focus();
  }

  /**
   * The session could not be renewed (the refresh token expired or was revoked). The clerk signs
   * in again, the name filled in; the file picked stays picked, and a file already sent has its
   * result shown once signed in again. The page says which.
   */
  function sessionExpired() {
    if (!token) return; // said already (requests under way end here too)
    const user = sessionStorage.getItem('tthc-user') || '';
    const cut = upload;
    let message = 'Phiên đăng nhập đã hết hạn. Đăng nhập lại để tiếp tục.';
    if (cut && cut.sent) message = 'Phiên đăng nhập đã hết hạn. Tệp đã được gửi; đăng nhập lại để xem kết quả.';
    else if (cut) message = `Phiên đăng nhập đã hết hạn. Tệp “${cut.name}” chưa được gửi; đăng nhập lại rồi bấm “Gửi tệp”.`;
    signOut(message, { keepFile: true }); // the file picked, for the same clerk (onSignIn clears it for another)
    upload = cut && cut.sent ? cut : null;
    expiredUser = user;
    $('username').value = user;
    if (user) $('password').focus();
  }

  // ---- the unit's page

  async function showUnit() {
    me = await apiJson('/api/me');
    clockSkew = Date.parse(me.now) - Date.now();
    $('sign-in').hidden = true;
    $('unit').hidden = false;
    $('sign-out').hidden = false;
    say('');
    $('unit-name').textContent = me.name ? `${me.name} (${me.unit})` : 'Quản trị hệ thống';
    $('open-period').textContent = me.period_from && me.period_to
      ? `Tháng ${periodLabel(me.open_period)} (${dayLabel(me.period_from)} – ${dayLabel(me.period_to)})`
      : `Tháng ${periodLabel(me.open_period)}`;
    const due = new Date(me.due_at);
    const lastDay = new Date(due.getTime() - 1);
    $('due').textContent = `Hết ngày ${dateOnly.format(lastDay)} (trước 00:00 ngày ${dateOnly.format(due)})`;
    $('unit-status').textContent = me.status ? STATUS[me.status] || me.status : '—';
    showTimeLeft();
    clearInterval(timer);
    timer = setInterval(showTimeLeft, 60_000);
    const hasUnit = Boolean(me.unit);
    for (const id of ['upload', 'history', 'templates']) $(id).hidden = !hasUnit;
    $('history-period').value = me.open_period;
    $('template-period').value = me.open_period;
    $('admin').hidden = me.role !== 'admin';
    if (hasUnit) await loadHistory();
    if (me.role === 'admin') await loadStatus();
    $('unit-name').focus();
  }

  function showTimeLeft() {
    if (!me) return;
    const left = Date.parse(me.due_at) - (Date.now() + clockSkew);
    const reported = me.status === 'on_time' || me.status === 'late';
    $('late-note').hidden = !(left <= 0 && me.unit && !reported);
    $('time-left').classList.toggle('quiet', left <= 0 && reported);
    if (left <= 0) {
      // The deadline is no news to a unit that has reported; one that has not may still send.
      $('time-left').textContent = reported ? 'Đã nộp' : 'Đã quá hạn';
      return;
    }
    // Whole minutes, rounded up: a deadline is never shown nearer than it is.
    const total = Math.ceil(left / 60_000);
    const days = Math.floor(total / 1440);
    const hours = Math.floor((total % 1440) / 60);
    const minutes = total % 60;
    $('time-left').textContent = days > 0 ? `${days} ngày ${hours} giờ` : `${hours} giờ ${minutes} phút`;
  }

  function location(issue) {
    const cell = issue.row && issue.column ? `ô ${issue.column}${issue.row}` : issue.row ? `dòng ${issue.row}` : issue.column ? `cột ${issue.column}` : '';
    const parts = [issue.sheet ? `trang tính "${issue.sheet}"` : '', cell].filter(Boolean);
    return parts.length ? `${parts.join(', ')}: ` : '';
  }

  function issueList(title, issues) {
    const box = document.createDocumentFragment();
    box.append(el('p', { className: 'meta', textContent: `${title} (${issues.length}):` }));
    const list = el('ul', { className: 'issues' });
    for (const i of issues) list.append(el('li', { textContent: `${location(i)}${i.message}` }));
    box.append(list);
    return box;
  }

  /**
   * The verdict line. A file filed under another period than the one being collected when it
   * came is no report for that one, accepted or not: the line says so itself, in amber.
   */
  function verdict(u) {
    const name = `Tệp “${u.file_name}”: `;
    const open = u.open_period_at_receipt;
    if (u.period && open && u.period !== open) {
      if (OUTCOME_OTHER_PERIOD[u.status]) {
        return { className: 'verdict other-period', text: `${name}${OUTCOME_OTHER_PERIOD[u.status]} ${periodLabel(u.period)} — chưa phải báo cáo kỳ ${periodLabel(open)}` };
      }
      return { className: `verdict ${u.status}`, text: `${name}${OUTCOME[u.status] || u.status} (tệp ghi kỳ ${periodLabel(u.period)}, không phải kỳ ${periodLabel(open)})` };
    }
    return { className: `verdict ${u.status}`, text: `${name}${OUTCOME[u.status] || u.status}` };
  }

  function renderUpload(u, tag = 'li') {
    const node = el(tag, {});
    const v = verdict(u);
    // The unit's report for the period (the API's `current`): which of several sends counts.
    if (u.current) node.append(el('p', { className: 'current-tag', textContent: 'Báo cáo đang được dùng' }));
    node.append(el('p', { className: v.className, textContent: v.text }));
    const filed = u.period ? `Kỳ báo cáo ${periodLabel(u.period)} · nhận lúc` : 'Nhận lúc';
    node.append(el('p', { className: 'meta', textContent: `${filed} ${dateTime.format(new Date(u.received_at))}` }));
    if (u.counts) {
      const dl = el('dl', { className: 'counts' });
      for (const [key, label] of COUNTS) {
        const v = u.counts[key];
        dl.append(el('dt', { textContent: label }), el('dd', { textContent: v === null || v === undefined ? 'không ghi' : numbers.format(v) }));
      }
      node.append(dl);
    }
    if (u.errors && u.errors.length) node.append(issueList('Lỗi cần sửa', u.errors));
    if (u.warnings && u.warnings.length) node.append(issueList('Lưu ý', u.warnings));
    return node;
  }

  async function loadHistory() {
    const period = $('history-period').value || me.open_period;
    const list = $('history-list');
    try {
      const { uploads } = await apiJson(`/api/uploads?period=${encodeURIComponent(period)}`);
      list.replaceChildren(...uploads.map((u) => renderUpload(u)));
      if (!uploads.length) list.append(el('li', { textContent: `Chưa có lần gửi nào cho kỳ ${periodLabel(period)}.` }));
    } catch (e) {
      list.replaceChildren(el('li', { className: 'error', textContent: e.message }));
    }
  }

  async function loadStatus() {
    try {
      const { units } = await apiJson(`/api/status?period=${me.open_period}`);
      const tally = {};
      for (const u of units) tally[u.status] = (tally[u.status] || 0) + 1;
      $('admin-summary').textContent = `Kỳ ${periodLabel(me.open_period)}, ${units.length} đơn vị: `
        + Object.keys(STATUS).map((k) => `${STATUS[k].toLowerCase()} ${tally[k] || 0}`).join('; ') + '.';
      $('admin-list').replaceChildren(...units.filter((u) => u.status !== 'on_time')
        .map((u) => el('li', { textContent: `${u.unit}: ${STATUS[u.status] || u.status}` })));
    } catch (e) {
      $('admin-summary').textContent = e.message;
    }
  }

  // ---- upload

  function s3Refusal(xhr) {
    const code = (/<Code>([^<]+)<\/Code>/.exec(xhr.responseText || '') || [])[1];
    if (code === 'EntityTooLarge') return 'Tệp vượt quá 5 MB: kho lưu trữ từ chối.';
    if (code === 'EntityTooSmall') return 'Tệp rỗng: kho lưu trữ từ chối.';
    if (code === 'AccessDenied') return 'Kho lưu trữ từ chối tệp (phiên gửi đã hết hạn). Hãy gửi lại.';
    return `Không gửi được tệp (lỗi ${xhr.status}). Hãy thử lại.`;
  }

  function postFile(form, file, onProgress) {
    return new Promise((resolve, reject) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
      data.append('file', file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.url);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
      xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(s3Refusal(xhr))));
      xhr.onerror = () => reject(new Error('Mất kết nối khi gửi tệp. Hãy thử lại.'));
      xhr.send(data);
    });
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** The uploads of one key (what a presigned POST created), whatever period the ingest filed them under; newest first. */
  const uploadsOfKey = async (key) => (await apiJson(`/api/uploads?key=${encodeURIComponent(key)}`)).uploads;

  /** The feedback on this upload: the newest upload of its key that was not there before it was sent. */
  async function waitForFeedback(key, before) {
    for (let i = 0; i < 120; i++) {
      const found = (await uploadsOfKey(key)).find((u) => !before.has(u.upload_id));
      if (found) return found;
      await sleep(i < 10 ? 500 : 2000);
    }
    return null;
  }

  /** What is wrong with a file before it is sent, or null. The ingest reads only Excel workbooks and CSV. */
  function fileProblem(file) {
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      return `Chỉ nhận tệp .xlsx hoặc .csv: “${file.name}” không phải tệp Biểu 06a (.xlsx) hay mẫu CSV. Mở báo cáo bằng Excel rồi lưu thành .xlsx, hoặc dùng mẫu tải ở mục “Tải mẫu báo cáo”.`;
    }
    if (file.size === 0) return `Tệp rỗng: “${file.name}” không có nội dung (0 byte). Chọn tệp báo cáo đã nhập số liệu.`;
    if (file.size > MAX_BYTES) return tooLarge(file.size);
    return null;
  }

  /** In MB (vi-VN) unless that rounds to the limit itself ("5,0 MB, over 5 MB" reads as a mistake), then in bytes. */
  function tooLarge(size) {
    const mb = Math.round((size / 1048576) * 10) / 10;
    return mb > MAX_BYTES / 1048576
      ? `Tệp ${megabytes.format(mb)} MB, lớn hơn giới hạn 5 MB.`
      : `Tệp ${numbers.format(size)} byte, lớn hơn giới hạn 5 MB (${numbers.format(MAX_BYTES)} byte).`;
  }

  /** Puts nodes in the feedback box and moves focus (and, on a phone, the view) to its first line. */
  function showFeedback(first, ...rest) {
    first.tabIndex = -1;
    $('feedback').replaceChildren(first, ...rest);
    first.focus({ preventScroll: true });
    $('feedback').scrollIntoView({ block: 'start' }); // the box's top with it: the line is wholly on screen
  }

  /** While sending and waiting: the focus on what the page is doing, the progress bar above it kept in view. */
  function showProgress(text) {
    const line = el('p', { textContent: text, tabIndex: -1 });
    $('feedback').replaceChildren(line);
    line.focus({ preventScroll: true });
    $('progress-box').scrollIntoView({ block: 'nearest' });
  }

  async function onSend() {
    const file = $('file').files[0];
    const feedback = $('feedback');
    if (!file) {
      feedback.replaceChildren(el('p', { className: 'error', textContent: 'Chọn tệp báo cáo trước khi gửi.' }));
      $('file').focus();
      return;
    }
    const problem = fileProblem(file);
    if (problem) {
      // Nothing is sent: a file the ingest cannot read would only add a refused upload to the history.
      feedback.replaceChildren(el('p', { className: 'error', textContent: problem }));
      $('file').focus();
      return;
    }
    $('send').disabled = true;
    $('progress').value = 0;
    $('progress-box').hidden = false;
    // The disabled button loses the focus: it goes to what the page is doing.
    showProgress(`Đang gửi “${file.name}”…`);
    const sending = { name: file.name, sent: false };
    upload = sending;
    try {
      const form = await apiJson('/api/uploads', { method: 'POST', body: JSON.stringify({ file_name: file.name, size: file.size }) });
      const key = form.key || form.fields.key;
      const before = (await uploadsOfKey(key)).map((u) => u.upload_id); // the same name sent earlier
      await postFile(form, file, (share) => { $('progress').value = Math.round(share * 100); });
      Object.assign(sending, { key, before, sent: true });
      $('progress').value = 100;
      await showResult(key, before);
    } catch (e) {
      if (token) showFeedback(el('p', { className: 'error', textContent: e.message }));
    } finally {
      if (token && upload === sending) upload = null; // kept when the session ended: see sessionExpired
      $('send').disabled = false;
      $('progress-box').hidden = true;
    }
  }

  /** A file sent before the session ended: its result, once the clerk has signed in again. */
  async function resumeUpload(sent) {
    upload = sent; // what a session ending again would speak of
    $('send').disabled = true;
    $('progress').value = 100;
    $('progress-box').hidden = false;
    try {
      await showResult(sent.key, sent.before);
    } catch (e) {
      if (token) showFeedback(el('p', { className: 'error', textContent: e.message }));
    } finally {
      if (token && upload === sent) upload = null;
      $('send').disabled = false;
      $('progress-box').hidden = true;
    }
  }

  /** Waits for the feedback of the upload sent under `key` (not one of `before`) and shows it. */
  async function showResult(key, before) {
    showProgress('Đã gửi tệp. Đang chờ kết quả kiểm tra…');
    const result = await waitForFeedback(key, new Set(before));
    if (!result) {
      showFeedback(el('p', { textContent: 'Tệp đã gửi; kết quả kiểm tra chưa có. Kết quả sẽ có trong mục “Các lần gửi”, ở kỳ ghi trong tệp; xem lại sau ít phút.' }));
      return;
    }
    $('file').value = '';
    try {
      me = await apiJson('/api/me');
      $('unit-status').textContent = me.status ? STATUS[me.status] || me.status : '—';
      showTimeLeft();
    } catch {
      // The result stands; the status card is refreshed on the next sign-in.
    }
    if (!token) return; // the session ended meanwhile: the page is the sign-in form again
    // The history shows the period the file was filed under, where the clerk will find it again.
    $('history-period').value = result.period || me.open_period;
    await loadHistory();
    // Last, once the status card above has its new text: the result's place no longer moves.
    if (token) showFeedback(el('h3', { id: 'result-title', textContent: 'Kết quả kiểm tra' }), renderUpload(result, 'div'));
  }

  function setUpDrop() {
    const zone = $('drop-zone');
    const stop = (e) => { e.preventDefault(); e.stopPropagation(); };
    zone.addEventListener('dragover', (e) => { stop(e); zone.classList.add('over'); });
    zone.addEventListener('dragleave', (e) => { stop(e); zone.classList.remove('over'); });
    zone.addEventListener('drop', (e) => {
      stop(e);
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) {
        $('file').files = e.dataTransfer.files;
        $('feedback').replaceChildren(el('p', { textContent: `Đã chọn “${e.dataTransfer.files[0].name}”. Bấm “Gửi tệp”.` }));
        $('send').focus();
      }
    });
  }

  // ---- templates

  async function downloadTemplate(format) {
    const period = $('template-period').value || me.open_period;
    try {
      const res = await api(`/api/template?period=${encodeURIComponent(period)}&format=${format}`);
      const name = (/filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '') || [])[1] || `bieu-06a.${format}`;
      const url = URL.createObjectURL(await res.blob());
      const a = el('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      say(`Đã tải mẫu ${name}.`);
    } catch (e) {
      say(e.message);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', onSignIn);
    $('forgot').addEventListener('click', onForgot);
    $('reset-form').addEventListener('submit', onReset);
    $('sign-out').addEventListener('click', () => {
      // A shared office computer: the refresh token is revoked at Cognito too (no answer awaited).
      const refresh = sessionStorage.getItem('tthc-refresh');
      if (refresh) cognito('RevokeToken', { Token: refresh }).catch(() => {});
      signOut('Đã đăng xuất.');
    });
    $('send').addEventListener('click', onSend);
    $('history-period').addEventListener('change', loadHistory);
    $('template-xlsx').addEventListener('click', () => downloadTemplate('xlsx'));
    $('template-csv').addEventListener('click', () => downloadTemplate('csv'));
    setUpDrop();
    loadConfig().catch(() => say('Không tải được cấu hình của trang.'));
    // A reload: the session goes on (renewed if its token has expired), or the page says it ended.
    if (token) showUnit().catch((e) => { if (token) signOut(e.message); });
    else $('username').focus();
  });
})();
